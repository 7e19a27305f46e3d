using System.Globalization;
using System.Text.Json.Nodes;

namespace RecurrentKif.Bench;

/// <summary>
/// CPU seconds each group of this process's threads has used (by thread name, from /proc/self/task/*/stat): shows
/// what else competes with the compute thread and its OpenMP team for the cores. Empty where /proc is missing.
/// </summary>
public static class ThreadCpu
{
    public static JsonObject ByName()
    {
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!Directory.Exists("/proc/self/task")) return new JsonObject();
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            string stat;
            try { stat = File.ReadAllText(Path.Combine(task, "stat")); }
            catch (IOException) { continue; }   // the thread ended meanwhile
            int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
            string name = stat[(open + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            // After the name: state is field 3 of stat(5); utime and stime are fields 14 and 15, in clock ticks (100 Hz).
            double seconds = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
            totals[name] = totals.GetValueOrDefault(name) + seconds;
        }
        var result = new JsonObject();
        foreach (var (name, seconds) in totals.Where(kv => kv.Value > 0).OrderByDescending(kv => kv.Value)) result[name] = seconds;
        return result;
    }

    /// <summary>Minor page faults of the whole process so far (field 10 of /proc/self/stat); 0 where /proc is missing.</summary>
    public static long MinorPageFaults()
    {
        if (!File.Exists("/proc/self/stat")) return 0;
        string stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], CultureInfo.InvariantCulture);   // minflt: field 10 of stat(5), the 8th after the name
    }
}
