using RecurrentKif.Gpu.BuiltIn;

namespace RecurrentKif.Gpu.Continual;

/// <summary>
/// The named task sequences of docs/algorithm.md §5.1 (standard CL benchmark orders 1–3, long-sequence orders 1–3)
/// plus the built-in tasks, and the parsing of a sequence given on the command line.
/// </summary>
public static class TaskOrders
{
    // Collection expressions typed as IReadOnlyList are read-only, so callers cannot alter the shared orders.
    private static readonly (string Name, IReadOnlyList<string> Tasks)[] Orders =
    [
        ("standard-1", ["dbpedia", "amazon", "yahoo", "agnews"]),
        ("standard-2", ["dbpedia", "amazon", "agnews", "yahoo"]),
        ("standard-3", ["yahoo", "amazon", "agnews", "dbpedia"]),
        ("long-1", ["mnli", "cb", "wic", "copa", "qqp", "boolqa", "rte", "imdb", "yelp", "amazon", "sst-2", "dbpedia", "agnews", "multirc", "yahoo"]),
        ("long-2", ["multirc", "boolqa", "wic", "mnli", "cb", "copa", "qqp", "rte", "imdb", "sst-2", "dbpedia", "agnews", "yelp", "amazon", "yahoo"]),
        ("long-3", ["yelp", "amazon", "mnli", "cb", "copa", "qqp", "rte", "imdb", "sst-2", "dbpedia", "agnews", "yahoo", "multirc", "boolqa", "wic"]),
        ("builtin", [.. BuiltInTaskGenerator.TaskNames]),
        // review and picnic answer with the same words (Good, Bad) by different rules, so the third task overwrites the
        // first one's answers unless the method keeps them; topic (4 labels) sits between them.
        ("builtin-short", ["review", "topic", "picnic"]),
    ];

    /// <summary>The order names, in the order listed above.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Orders.Select(o => o.Name)];

    /// <summary>The tasks of a named order. Throws <see cref="ArgumentException"/> listing the known names.</summary>
    public static IReadOnlyList<string> Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryGet(name.Trim()) ?? throw UnknownName(name, nameof(name));
    }

    /// <summary>
    /// A named order, or a custom comma-separated list of task names ("mnli,cb,wic"). A single word that is not an
    /// order name is taken as a one-task sequence only if some known order contains that task (useful for
    /// single-task baselines); otherwise it is most likely a misspelt order name and is rejected. Task names in a
    /// custom list are not checked against the data here: the loader reports a missing file by its path.
    /// </summary>
    public static IReadOnlyList<string> Resolve(string orderOrList)
    {
        ArgumentNullException.ThrowIfNull(orderOrList);
        string text = orderOrList.Trim();
        if (TryGet(text) is { } named) return named;

        if (!text.Contains(','))
        {
            if (text.Length > 0 && Orders.Any(o => o.Tasks.Contains(text, StringComparer.Ordinal))) return [text];
            throw UnknownName(orderOrList, nameof(orderOrList));
        }

        string[] tasks = text.Split(',').Select(t => t.Trim()).ToArray();
        if (tasks.Any(t => t.Length == 0))
            throw new ArgumentException($"The task list '{orderOrList}' has an empty entry.", nameof(orderOrList));
        // The accuracy matrix and the reports identify tasks by name, so a task may appear only once.
        string? repeated = tasks.GroupBy(t => t, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (repeated is not null)
            throw new ArgumentException($"The task list '{orderOrList}' names '{repeated}' more than once.", nameof(orderOrList));
        return tasks;
    }

    private static IReadOnlyList<string>? TryGet(string name) =>
        Orders.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase)).Tasks;

    private static ArgumentException UnknownName(string name, string parameter) =>
        new($"Unknown task order '{name}'. Known orders: {string.Join(", ", Names)}; " +
            "or give a comma-separated list of task names, e.g. \"mnli,cb,wic\".", parameter);
}
