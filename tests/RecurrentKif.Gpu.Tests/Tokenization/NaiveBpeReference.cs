using System.Text;

namespace RecurrentKif.Gpu.Tests.Tokenization;

/// <summary>
/// A deliberately slow, obviously-correct encoder written straight from the description of llama2.c's
/// algorithm, sharing no code with the tokenizer under test (it even reads tokenizer.bin itself).
/// Each round tries every adjacent pair and merges the first one with the best score.
/// </summary>
internal sealed class NaiveBpeReference
{
    private const int FirstByteId = 3, FirstNormalId = 259;
    private readonly List<string> _pieces = new();
    private readonly List<float> _scores = new();
    private readonly Dictionary<string, int> _normalIds = new();

    public NaiveBpeReference(string tokenizerBinPath)
    {
        using var reader = new BinaryReader(File.OpenRead(tokenizerBinPath));
        reader.ReadInt32(); // max_token_len, irrelevant here
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            _scores.Add(reader.ReadSingle());
            int length = reader.ReadInt32();
            _pieces.Add(Encoding.UTF8.GetString(reader.ReadBytes(length)));
        }
        for (int id = FirstNormalId; id < _pieces.Count; id++) _normalIds.TryAdd(_pieces[id], id);
    }

    public List<int> Encode(string text)
    {
        var tokens = new List<int>();
        if (text.Length == 0) return tokens;
        foreach (Rune rune in (" " + text).EnumerateRunes())
        {
            if (_normalIds.TryGetValue(rune.ToString(), out int id)) tokens.Add(id);
            else foreach (byte b in Encoding.UTF8.GetBytes(rune.ToString())) tokens.Add(FirstByteId + b);
        }
        while (true)
        {
            float bestScore = float.NegativeInfinity;
            int bestIndex = -1, bestId = -1;
            for (int i = 0; i + 1 < tokens.Count; i++)
            {
                // Byte-fallback pieces are never merged in SentencePiece BPE.
                if (tokens[i] < FirstNormalId || tokens[i + 1] < FirstNormalId) continue;
                if (_normalIds.TryGetValue(_pieces[tokens[i]] + _pieces[tokens[i + 1]], out int merged)
                    && _scores[merged] > bestScore)
                {
                    bestScore = _scores[merged];
                    bestIndex = i;
                    bestId = merged;
                }
            }
            if (bestIndex < 0) return tokens;
            tokens[bestIndex] = bestId;
            tokens.RemoveAt(bestIndex + 1);
        }
    }
}
