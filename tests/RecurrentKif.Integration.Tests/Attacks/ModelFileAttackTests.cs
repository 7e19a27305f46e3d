using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace RecurrentKif.Integration.Tests.Attacks;

/// <summary>
/// A model folder whose safetensors header lies (an overflowing shape, a negative dimension, offsets past the data):
/// a CLI command that loads it stops with exit 2 and one line naming the problem, never a crash or a huge allocation.
/// </summary>
[Trait("Category", "Attack")]
public sealed class ModelFileAttackTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("overflowing shape", "[4294967296, 4294967296, 4294967296]", null)]
    [InlineData("negative dimension", "[-1, 64]", null)]
    [InlineData("offsets past the data", null, "[0, 999999999]")]
    public void A_malformed_safetensors_header_exits_2_with_one_line(string attack, string? shape, string? offsets)
    {
        string folder = Directory.CreateTempSubdirectory("rkif-badmodel").FullName;
        try
        {
            string model = Path.Combine(TinyRun.SharedRoot(), "models", "stories260k");
            foreach (string file in Directory.GetFiles(model)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            string weights = Path.Combine(folder, "model.safetensors");
            File.SetAttributes(weights, FileAttributes.Normal);
            Corrupt(weights, shape, offsets);

            var result = RkifProcess.Run($"generate --model \"{folder}\" --prompt \"Once\" --max-new-tokens 2", timeout: TimeSpan.FromMinutes(2));
            var errorLines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("   at ", StringComparison.Ordinal)).ToList();
            bool noStackTrace = !result.Output.Contains("   at ", StringComparison.Ordinal);
            bool pass = result.ExitCode == 2 && noStackTrace && result.Output.Contains("safetensors", StringComparison.OrdinalIgnoreCase);
            AttackLog.Case(output, $"malformed safetensors ({attack}) to rkif generate", "exit 2, one line naming the file, no stack trace",
                $"exit {result.ExitCode}; {(noStackTrace ? "no stack trace" : "stack trace")}; {errorLines.LastOrDefault()?.Trim()}", pass);
            Assert.True(pass, result.Output);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    // Rewrites the first tensor's entry of the header, keeping the file's layout otherwise as it was.
    private static void Corrupt(string path, string? shape, string? offsets)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, length))!.AsObject();
        var first = header.First(kv => kv.Key != "__metadata__").Value!.AsObject();
        if (shape is not null) first["shape"] = JsonNode.Parse(shape);
        if (offsets is not null) first["data_offsets"] = JsonNode.Parse(offsets);
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        byte[] data = bytes[(8 + length)..];
        using var file = File.Create(path);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)json.Length);
        file.Write(prefix);
        file.Write(json);
        file.Write(data);
    }
}
