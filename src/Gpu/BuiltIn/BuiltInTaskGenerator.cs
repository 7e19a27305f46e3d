using RecurrentKif.Gpu.Data;

namespace RecurrentKif.Gpu.BuiltIn;

/// <summary>
/// Generates small text-classification tasks in the long-sequence file format, so the project runs end
/// to end without the external benchmark. Each task follows a real rule (a word list, a digit, a number
/// comparison, a place match) that a tiny byte-level model can learn, with templated sentences short
/// enough (input ≤ 120 characters) for a 512-byte context. Everything is a pure function of the seed.
/// </summary>
public static class BuiltInTaskGenerator
{
    private static readonly BuiltInTaskFamily[] Families =
    [
        new ReviewSentimentFamily(),
        new SentenceTopicFamily(),
        new NumberComparisonFamily(),
        new NumberParityFamily(),
        new ColourWarmthFamily(),
        new PlaceEntailmentFamily(),
        new PicnicWeatherFamily(),
    ];

    /// <summary>Task names in their default order; also the file stems written by <see cref="Write"/>.</summary>
    public static IReadOnlyList<string> TaskNames { get; } = Families.Select(f => f.Name).ToArray();

    /// <summary>The label words of a task, in the order its instruction lists them.</summary>
    public static IReadOnlyList<string> LabelsOf(string taskName) => FamilyNamed(taskName).Labels;

    /// <summary>
    /// Writes <c>{train,dev,test}/&lt;task&gt;.json</c> under <paramref name="outputDirectory"/> for every task.
    /// </summary>
    public static void Write(string outputDirectory, int seed, int trainPerTask = 200, int devPerTask = 50, int testPerTask = 100)
    {
        foreach (string task in TaskNames)
        {
            BuiltInTaskSplits splits = Generate(task, seed, trainPerTask, devPerTask, testPerTask);
            TaskFileWriter.Write(Path.Combine(outputDirectory, "train", task + ".json"), splits.Train);
            TaskFileWriter.Write(Path.Combine(outputDirectory, "dev", task + ".json"), splits.Dev);
            TaskFileWriter.Write(Path.Combine(outputDirectory, "test", task + ".json"), splits.Test);
        }
    }

    /// <summary>
    /// One task's splits: labels balanced within each split (counts differ by at most one), every input
    /// distinct across all three splits, each split shuffled, ids "&lt;task&gt;_&lt;index&gt;" per split.
    /// Throws if a task's templates cannot supply that many distinct instances.
    /// </summary>
    public static BuiltInTaskSplits Generate(string taskName, int seed, int trainCount, int devCount, int testCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trainCount);
        ArgumentOutOfRangeException.ThrowIfNegative(devCount);
        ArgumentOutOfRangeException.ThrowIfNegative(testCount);
        BuiltInTaskFamily family = FamilyNamed(taskName);
        // One stream per task, so adding or reordering tasks leaves the others' data unchanged.
        var rng = new SeededRandom(SeededRandom.DeriveSeed(seed, StableHash(family.Name)));

        int labelCount = family.Labels.Count;
        int[] splitSizes = [trainCount, devCount, testCount];
        var texts = new Queue<string>[labelCount];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int label = 0; label < labelCount; label++)
        {
            int needed = splitSizes.Sum(size => ShareOf(size, label, labelCount));
            texts[label] = new Queue<string>(DistinctTexts(family, rng, label, needed, seen));
        }

        var splits = new TaskExample[3][];
        for (int s = 0; s < 3; s++)
        {
            var drafts = new List<(string Text, int Label)>();
            for (int label = 0; label < labelCount; label++)
            {
                for (int k = ShareOf(splitSizes[s], label, labelCount); k > 0; k--) drafts.Add((texts[label].Dequeue(), label));
            }
            rng.Shuffle(drafts);
            splits[s] = drafts
                .Select((d, i) => new TaskExample($"{family.Name}_{i}", family.Instruction, BuiltInTaskFamily.Input(d.Text), family.Labels[d.Label]))
                .ToArray();
        }
        return new BuiltInTaskSplits(family.Name, splits[0], splits[1], splits[2]);
    }

    /// <summary>
    /// Every text the built-in tasks can show a model: each task's instruction and labels, the answer cue, and enough
    /// instances of every label to meet every word of every template (the built-in tokenizer's words come from here).
    /// </summary>
    public static IEnumerable<string> VocabularyText()
    {
        var rng = new SeededRandom(SeededRandom.DeriveSeed(0, StableHash("vocabulary")));
        foreach (BuiltInTaskFamily family in Families)
        {
            yield return family.Instruction;
            yield return BuiltInTaskFamily.Input("");
            foreach (string label in family.Labels) yield return label;
            foreach (string sentence in family.Continuations.SelectMany(c => c)) yield return sentence;
            // Word lists hold at most a few dozen entries; 4 000 draws per label meet each of them with certainty in practice.
            for (int label = 0; label < family.Labels.Count; label++)
                for (int i = 0; i < 4000; i++) yield return family.MakeText(rng, label);
        }
    }

    /// <summary>
    /// Pretraining text in the language of the tasks: unlabeled instance sentences from all tasks' templates and
    /// vocabulary, and (one document in eight) a task's instruction with its option list. Instances never hold a label
    /// word, nothing holds "Answer:", and no instance is ever followed by its label, so pretraining teaches the words,
    /// label words included (a model that has never seen "Good" can hardly say it), but never the answers.
    /// Drawn from a stream separate from the tasks'.
    /// </summary>
    public static IEnumerable<string> PretrainingCorpus(int seed, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var rng = new SeededRandom(SeededRandom.DeriveSeed(seed, StableHash("pretraining corpus")));
        for (int i = 0; i < count; i++)
        {
            BuiltInTaskFamily family = Families[rng.NextInt(Families.Length)];
            if (rng.NextInt(8) == 0)
            {
                yield return family.Instruction.TrimEnd('\n');
                continue;
            }
            int label = rng.NextInt(family.Labels.Count);
            string text = family.MakeText(rng, label);
            // Half the instances carry a follow-up that gives their deciding words a meaning; half stay as tasks show them.
            if (family.Continuations.Count > 0 && rng.NextInt(2) == 0) text += " " + rng.Pick(family.Continuations[label]);
            yield return text;
        }
    }

    private static List<string> DistinctTexts(BuiltInTaskFamily family, SeededRandom rng, int label, int needed, HashSet<string> seen)
    {
        var result = new List<string>(needed);
        // Generous bound: templates with thousands of combinations fill a few hundred slots in ~needed draws.
        int attemptsLeft = 50 * needed + 1000;
        while (result.Count < needed)
        {
            if (attemptsLeft-- == 0)
                throw new InvalidOperationException(
                    $"Built-in task '{family.Name}' could not produce {needed} distinct instances of label '{family.Labels[label]}'; ask for fewer.");
            string text = family.MakeText(rng, label);
            if (seen.Add(text)) result.Add(text);
        }
        return result;
    }

    /// <summary>How many of <paramref name="size"/> items label <paramref name="label"/> gets in a balanced split.</summary>
    private static int ShareOf(int size, int label, int labelCount) => size / labelCount + (label < size % labelCount ? 1 : 0);

    private static BuiltInTaskFamily FamilyNamed(string taskName) =>
        Families.FirstOrDefault(f => f.Name == taskName)
        ?? throw new ArgumentException($"Unknown built-in task '{taskName}'; known: {string.Join(", ", TaskNames)}.", nameof(taskName));

    /// <summary>FNV-1a over the name: string.GetHashCode is randomised per process, this is not.</summary>
    private static long StableHash(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text) hash = (hash ^ c) * 1099511628211UL;
        return unchecked((long)hash);
    }
}
