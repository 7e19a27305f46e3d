using static RecurrentKif.Gpu.Tests.Tokenization.SentencePieceModelWriter;

namespace RecurrentKif.Gpu.Tests.Tokenization;

/// <summary>
/// A character-level SentencePiece Unigram model in T5's layout (pad 0, EOS 1, unk 2, no BOS): "▁" and every
/// printable ASCII character, so any English benchmark text encodes without a trained vocabulary. Small enough for
/// a tiny T5's embedding; shared with the integration tests (linked there).
/// </summary>
internal static class CharacterT5Spiece
{
    public static IReadOnlyList<Piece> Pieces { get; } = BuildPieces();

    public static int PieceCount => Pieces.Count;

    public static byte[] Build() =>
        Write(Pieces, ModelType.Unigram, new Specials(UnkId: 2, BosId: -1, EosId: 1, PadId: 0), byteFallback: false);

    /// <summary>Writes spiece.model and a tokenizer_config.json that says there are no sentinel ids.</summary>
    public static void WriteInto(string folder)
    {
        File.WriteAllBytes(Path.Combine(folder, "spiece.model"), Build());
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"extra_ids": 0, "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>"}""");
    }

    private static List<Piece> BuildPieces()
    {
        var pieces = new List<Piece>
        {
            new("<pad>", 0, PieceType.Control),
            new("</s>", 0, PieceType.Control),
            new("<unk>", 0, PieceType.Unknown),
            new("\u2581", -2, PieceType.Normal),
        };
        for (char c = '!'; c <= '~'; c++) pieces.Add(new Piece(c.ToString(), -3 - (c % 7) * 0.1f, PieceType.Normal));
        return pieces;
    }
}
