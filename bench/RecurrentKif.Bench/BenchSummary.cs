using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace RecurrentKif.Bench;

/// <summary>The markdown summary of one benchmark run: the headline ratios first, then one table per section.</summary>
public static class BenchSummary
{
    public static string Markdown(JsonObject results)
    {
        var md = new StringBuilder();
        md.AppendLine($"# RecurrentKif benchmark ({results["startedUtc"]}, {results["minutes"]!.GetValue<double>():F1} min)");
        md.AppendLine();
        md.AppendLine($"`{results["command"]}` — device {results["device"]}, {results["cores"]} cores, load average {results["loadAverageAtStart"]} at start, {results["loadAverageAtEnd"]} at end{(results["quick"]!.GetValue<bool>() ? " — QUICK run (smoke figures, few repeats)" : "")}.");
        md.AppendLine();
        Headlines(results, md);
        if (results["training"] is JsonArray training) Training(training, md);
        if (results["pipeline"] is JsonObject pipeline) Pipeline(pipeline, md);
        if (results["continual"] is JsonObject continual) Continual(continual, md);
        if (results["generation"] is JsonObject generation) Generation(generation, md);
        if (results["checkpoint"] is JsonObject checkpoint) Checkpoint(checkpoint, md);
        PeakMemory(results, md);
        return md.ToString();
    }

    /// <summary>The per-model results of a section (its other entries, such as the LoRA-state child, are not models).</summary>
    private static IEnumerable<KeyValuePair<string, JsonNode?>> Models(JsonObject section) =>
        section.Where(kv => kv.Key != "loraState" && kv.Value is JsonObject);

    private static double D(JsonNode? node, string key) => node![key]!.GetValue<double>();
    private static string F(double value, int digits = 3) => value.ToString($"F{digits}", CultureInfo.InvariantCulture);

    private static void Headlines(JsonObject r, StringBuilder md)
    {
        md.AppendLine("## Ratios (each measured within this run)");
        md.AppendLine("| measurement | value | target |");
        md.AppendLine("|---|---|---|");
        if (r["training"] is JsonArray training)
            foreach (var row in training)
                md.AppendLine($"| training {row!["model"]} {row["dtype"]}: achieved FLOP/s (6·N·T) ÷ plain fp32 matmul FLOP/s | {F(D(row, "achievedOverMatmulFp32"))} | |");
        if (r["pipeline"] is JsonObject p)
        {
            md.AppendLine($"| pipeline throughput ÷ bare library loop (first step → reports written) | {F(D(p, "pipelineOverLibraryThroughput"))} | ≥ 0.97 |");
            md.AppendLine($"| … from the second task's first step (every code path compiled) | {F(D(p, "pipelineOverLibrarySteadyThroughput"))} | ≥ 0.97 |");
            md.AppendLine($"| restart of a killed `rkif run` → first resumed step (s, process start included) | {F(D(p["restart"], "firstResumedStepSeconds"), 2)} | |");
        }
        if (r["continual"] is JsonObject c)
        {
            foreach (var (model, row) in Models(c))
            {
                md.AppendLine($"| Recurrent-KIF wall ÷ SeqLoRA wall, same task, {model} | {F(D(row, "recurrentKifOverSeqLora"))} | ≤ 1.55 |");
                md.AppendLine($"| importance + masks + fusion share of a cycle, {model} | {F(D(row, "importanceMasksFusionShareOfCycle"))} | |");
            }
            foreach (var (model, row) in c["loraState"]!["shapes"]!.AsObject())
                md.AppendLine($"| LoRA state GB/s per cycle ÷ plain tensor copy GB/s, {model} ({D(row, "loraScalars"):N0} scalars) | {F(D(row, "perCycleOverCopyBandwidth"))} | |");
        }
        if (r["generation"] is JsonObject g)
            foreach (var (model, row) in Models(g))
                md.AppendLine($"| generated tokens/s with KV cache ÷ without, {model} (batched prompts) | {F(D(row, "cacheSpeedup"), 2)} | |");
        if (r["checkpoint"] is JsonObject k)
            foreach (var (model, row) in Models(k))
                md.AppendLine($"| checkpoint write MB/s ÷ fsynced file copy MB/s, {model} ({D(row, "checkpointBytes") / 1e6:F2} MB) | {F(D(row, "saveOverCopyBandwidth"))} | |");
        md.AppendLine();
    }

    private static void Training(JsonArray rows, StringBuilder md)
    {
        md.AppendLine("## 1. Training step throughput");
        md.AppendLine("| model | params | LoRA scalars | base | tokens/step | ms/step | tokens/s | GFLOP/s (6·N·T) | fp32 matmul GFLOP/s | bf16 matmul GFLOP/s | ÷ fp32 matmul | ÷ matmul of the base's dtype | MFU (GPU data-sheet peak) |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            md.AppendLine($"| {r!["model"]} | {D(r, "parameters"):N0} | {D(r, "loraScalars"):N0} | {r["dtype"]} | {D(r, "batch") * D(r, "length"):N0} | {F(D(r, "msPerStep"), 1)} | {F(D(r, "tokensPerSecond"), 0)} | {F(D(r, "achievedGflops"), 1)} | {F(D(r, "matmulFp32Gflops"), 0)} | {F(D(r, "matmulBf16Gflops"), 0)} | {F(D(r, "achievedOverMatmulFp32"))} | {F(D(r, "achievedOverMatmulSameDtype"))} | {(r["mfu"] is { } mfu ? $"{F(mfu.GetValue<double>() * 100, 2)} % of {r["gpu"]}" : "n/a (CPU or unknown GPU)")} |");
        if (rows.Any(r => r!["model"]!.GetValue<string>().StartsWith("t5", StringComparison.Ordinal)))
            md.AppendLine("\nT5 rows: tokens are target tokens, each with a source token of the same length through the encoder (T5-v1.1 shapes, untied 32 128-entry head).");
        md.AppendLine();
    }

    private static void Pipeline(JsonObject p, StringBuilder md)
    {
        md.AppendLine($"## 2. Actor pipeline vs library loop (3 built-in tasks, built-in architecture; median of {p["rounds"]} alternating rounds, one process each)");
        md.AppendLine("| run | start-up → first step (s) | first step → end (s) | second task's first step → end (s) | of which training compute (s) | total (s) | methods jitted after the first step (JIT s) | minor page faults after the first step | peak memory (MB) | work per round (s) |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (string side in new[] { "library", "pipeline" })
        {
            var s = p[side]!;
            md.AppendLine($"| {side} | {F(D(s, "startupSeconds"), 2)} | {F(D(s, "workSeconds"), 2)} | {F(D(s, "workFromSecondTaskSeconds"), 2)} | {F(D(s, "trainingComputeSeconds"), 2)} | {F(D(s, "totalSeconds"), 2)} | {F(D(s, "jitMethodsDuringWork"), 0)} ({F(D(s, "jitSecondsDuringWork"), 2)}) | {F(D(s, "minorPageFaultsDuringWork"), 0)} | {F(D(s, "peakMemoryMb"), 0)} | {string.Join(", ", s["workSecondsEachRound"]!.AsArray().Select(v => F(v!.GetValue<double>(), 2)))} |");
        }
        md.AppendLine($"\nThroughput ratio {F(D(p, "pipelineOverLibraryThroughput"))} (from the second task on, when every code path is compiled: {F(D(p, "pipelineOverLibrarySteadyThroughput"))}), whole run {F(D(p, "pipelineOverLibraryWholeRun"))}, training compute only {F(D(p, "pipelineOverLibraryTrainingCompute"))}. " +
                      $"Restart: state restored after {F(D(p["restart"], "stateRestoredSeconds"), 2)} s, first resumed step after {F(D(p["restart"], "firstResumedStepSeconds"), 2)} s.");
        md.AppendLine();
    }

    private static void Continual(JsonObject c, StringBuilder md)
    {
        md.AppendLine("## 3. Recurrent-KIF vs SeqLoRA on the same task, and the cost of a cycle");
        md.AppendLine("| model | steps inner/outer | cycles | Recurrent-KIF (s) | SeqLoRA (s) | ratio | cycle (ms) | inner steps | outer steps | importance updates | θ_Q snapshot | scores | masks | fusion (+θ_ref) | share of cycle |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (model, r) in Models(c))
        {
            var s = r!["perCycle"]!;
            md.AppendLine($"| {model} | {r["innerSteps"]}/{r["outerSteps"]} | {r["cycles"]} | {F(D(r, "recurrentKifSeconds"), 2)} | {F(D(r, "seqLoraSeconds"), 2)} | {F(D(r, "recurrentKifOverSeqLora"))} | {F(D(r, "cycleMs"), 1)} | " +
                          $"{F(D(s, "innerStepsMs"), 1)} | {F(D(s, "outerStepsMs"), 1)} | {F(D(s, "importanceUpdatesMs"), 2)} | {F(D(s, "snapshotMs"), 2)} | {F(D(s, "scoresMs"), 2)} | {F(D(s, "masksMs"), 2)} | {F(D(s, "fusionMs"), 2)} | {F(D(r, "importanceMasksFusionShareOfCycle"))} |");
        }
        md.AppendLine();
        md.AppendLine("LoRA state work per cycle (Q = 8 inner + 4 outer importance updates, 2 scores, 2 masks, fusion, 2 copies of θ), times in ms:");
        md.AppendLine("| LoRA shapes of | scalars | state (MB) | update | scores | masks | fusion | θ copies | per cycle | GB touched | GB/s | plain copy GB/s | ÷ copy |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (model, r) in c["loraState"]!["shapes"]!.AsObject())
            md.AppendLine($"| {model} | {D(r, "loraScalars"):N0} | {F(D(r, "stateMb"), 2)} | {F(D(r, "importanceUpdateMs"))} | {F(D(r, "scoresMs"))} | {F(D(r, "masksMs"))} | {F(D(r, "fusionMs"))} | {F(D(r, "thetaCopiesMs"))} | {F(D(r, "perCycleMs"), 2)} | {F(D(r, "perCycleGb"), 4)} | {F(D(r, "perCycleGbPerSecond"), 2)} | {F(D(r, "plainCopyGbPerSecond"), 2)} | {F(D(r, "perCycleOverCopyBandwidth"))} |");
        md.AppendLine();
    }

    private static void Generation(JsonObject g, StringBuilder md)
    {
        md.AppendLine("## 4. Evaluation throughput (greedy generation, generated tokens/s)");
        md.AppendLine("| model | prompts | mean prompt tokens | new tokens ≤ | KV cache, batched | no cache, batched | KV cache, one by one | cache speed-up | batching speed-up |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (model, r) in Models(g))
            md.AppendLine($"| {model} | {r!["prompts"]} | {F(D(r, "meanPromptTokens"), 0)} | {r["maxNewTokens"]} | {F(D(r, "cachedBatchedTokensPerSecond"), 1)} | {F(D(r, "uncachedBatchedTokensPerSecond"), 1)} | {F(D(r, "cachedOneByOneTokensPerSecond"), 1)} | {F(D(r, "cacheSpeedup"), 2)} | {F(D(r, "batchingSpeedup"), 2)} |");
        md.AppendLine();
    }

    private static void Checkpoint(JsonObject k, StringBuilder md)
    {
        md.AppendLine("## 5. Checkpoints (task-session commit: atomic write + fsync + rename + SHA-256) and resume");
        md.AppendLine("| model | LoRA scalars | checkpoint (MB) | write (ms) | write MB/s | fsynced copy (ms) | copy MB/s | write ÷ copy bandwidth | restore into a fresh session (ms) |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (model, r) in Models(k))
            md.AppendLine($"| {model} | {D(r, "loraScalars"):N0} | {F(D(r, "checkpointBytes") / 1e6, 2)} | {F(D(r, "saveMs"), 2)} | {F(D(r, "saveMbPerSecond"), 1)} | {F(D(r, "fsyncedCopyMs"), 2)} | {F(D(r, "fsyncedCopyMbPerSecond"), 1)} | {F(D(r, "saveOverCopyBandwidth"))} | {F(D(r, "restoreMs"), 2)} |");
        md.AppendLine();
    }

    private static void PeakMemory(JsonObject r, StringBuilder md)
    {
        md.AppendLine("## 6. Peak memory per run (VmHWM of each measuring process, MB)");
        md.AppendLine("| run | peak MB |");
        md.AppendLine("|---|---|");
        if (r["training"] is JsonArray training)
            foreach (var row in training) md.AppendLine($"| training {row!["model"]} {row["dtype"]} | {F(D(row, "peakMemoryMb"), 0)} |");
        if (r["pipeline"] is JsonObject p)
            foreach (string side in new[] { "library", "pipeline" }) md.AppendLine($"| {side} 3-task run | {F(D(p[side], "peakMemoryMb"), 0)} |");
        foreach (string section in new[] { "continual", "generation", "checkpoint" })
            if (r[section] is JsonObject s)
                foreach (var (model, row) in Models(s)) md.AppendLine($"| {section} {model} | {F(D(row, "peakMemoryMb"), 0)} |");
        if (r["continual"]?["loraState"] is JsonObject state) md.AppendLine($"| LoRA state cost (all shapes) | {F(D(state, "peakMemoryMb"), 0)} |");
        md.AppendLine();
    }
}
