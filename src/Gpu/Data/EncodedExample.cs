namespace RecurrentKif.Gpu.Data;

/// <summary>
/// Token ids of one training sequence (BOS + prompt + answer [+ EOS]) and its labels, position by position:
/// the id itself where the loss applies, <see cref="ExampleEncoder.IgnoreIndex"/> where it does not.
/// Labels are not shifted; the model's loss shifts them by one.
/// </summary>
public sealed record EncodedExample(int[] InputIds, int[] Labels)
{
    public int Length => InputIds.Length;
}
