namespace RecurrentKif.Gpu.Data;

/// <summary>
/// One labelled record of a task file in the long-sequence format: the task's instruction (question plus
/// "Option: ..." list), the instance text ending in "Answer:", and the gold label word.
/// </summary>
public sealed record TaskExample(string Id, string Instruction, string Input, string Output);
