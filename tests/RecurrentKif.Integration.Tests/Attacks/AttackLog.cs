using Xunit.Abstractions;

namespace RecurrentKif.Integration.Tests.Attacks;

/// <summary>
/// One line per attack or fault case (docs/security.md): what was expected, what was observed, pass or fail. The line
/// goes to the test output and, when RKIF_ATTACK_LOG names a file, is appended there so CI prints the whole table.
/// </summary>
public static class AttackLog
{
    public static void Case(ITestOutputHelper output, string name, string expected, string observed, bool pass)
    {
        string line = $"ATTACK | {name} | expected: {expected} | observed: {observed} | {(pass ? "PASS" : "FAIL")}";
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("RKIF_ATTACK_LOG") is { Length: > 0 } file)
            lock (typeof(AttackLog)) File.AppendAllText(file, line + Environment.NewLine);
    }
}
