namespace RecurrentKif.Gpu.Tokenization;

/// <summary>
/// What the models need from a tokenizer: text to ids and back, plus the special ids.
/// Implementations: <see cref="Llama2cTokenizer"/> (llama2.c tokenizer.bin) and
/// <see cref="SentencePieceTextTokenizer"/> (SentencePiece tokenizer.model / spiece.model).
/// </summary>
public interface ITextTokenizer
{
    int VocabSize { get; }
    int BosId { get; }
    int EosId { get; }
    /// <summary>Id used for padding. LLaMA recipes pad with 0 (unk); padded positions are always masked.</summary>
    int PadId { get; }

    /// <summary>Encodes <paramref name="text"/>; prepends BOS when asked, never appends EOS.</summary>
    IReadOnlyList<int> Encode(string text, bool addBos);

    /// <summary>Decodes ids to text, dropping BOS/EOS/pad and the SentencePiece leading space of the first piece.</summary>
    string Decode(IEnumerable<int> ids);
}
