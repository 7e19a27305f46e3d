using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.BuiltIn;

/// <summary>
/// One generated classification task: a fixed question, its label words, and a rule that writes a short
/// English instance for a requested label. Instances never contain any label word, so unlabeled
/// instances can serve as pretraining text without giving answers away.
/// </summary>
internal abstract class BuiltInTaskFamily
{
    public abstract string Name { get; }

    /// <summary>The question part of the instruction (one sentence).</summary>
    protected abstract string Question { get; }

    public abstract IReadOnlyList<string> Labels { get; }

    /// <summary>Same shape as the real files: question, fixed sentence, "Option: a, b." and a newline.</summary>
    public string Instruction => $"{Question} Choose one from the option. Option: {string.Join(", ", Labels)}.\n";

    /// <summary>The instance text (without "Answer:") whose correct label is <c>Labels[labelIndex]</c>.</summary>
    public abstract string MakeText(SeededRandom rng, int labelIndex);

    /// <summary>
    /// Follow-up sentences per label that pretraining may append to an instance, so the words that decide a label
    /// mean something before any fine-tuning (praise is followed by joy, rain by staying in), the way a real language
    /// model knows what "superb" or "storm" implies. None holds a label word or the answer cue. Empty: no meaning given.
    /// </summary>
    public virtual IReadOnlyList<IReadOnlyList<string>> Continuations => [];

    public static string Input(string text) => text + "\nAnswer:";
}
