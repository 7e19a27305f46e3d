namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// One validation of a task's checkpoint candidates: the mean label loss, and the teacher-forced accuracy of the
/// first answer token from the same forward pass (argmax at that position against the gold token), a cheap view of
/// whether the model picks the right label that needs no generation. NaN where not measured.
/// </summary>
public sealed record ValidationPoint(int Step, double Loss, double FirstTokenAccuracy);
