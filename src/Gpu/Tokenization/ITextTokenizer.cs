namespace RecurrentKif.Gpu.Tokenization;

/// <summary>
/// What the models need from a tokenizer: text to ids and back, plus the special ids.
/// Implementations: <see cref="Llama2cTokenizer"/> (llama2.c tokenizer.bin),
/// <see cref="SentencePieceTextTokenizer"/> (SentencePiece tokenizer.model / spiece.model) and
/// <see cref="HuggingFace.ByteLevelBpeTokenizer"/> (byte-level BPE tokenizer.json: Llama-3, Qwen2).
/// </summary>
public interface ITextTokenizer
{
    int VocabSize { get; }
    /// <summary>The beginning-of-sequence id, or −1 for models that have none (T5 starts nothing with BOS).</summary>
    int BosId { get; }
    int EosId { get; }
    /// <summary>Id used for padding. LLaMA recipes pad with 0 (unk), T5 with its pad piece 0; padded positions are always masked.</summary>
    int PadId { get; }

    /// <summary>
    /// False when the model has no BOS piece. Asking for BOS is then an error for a SentencePiece model (T5, an
    /// encoder-decoder, never starts with BOS) and adds nothing for a tokenizer.json decoder (Qwen2), as in Hugging Face.
    /// </summary>
    bool HasBos => BosId >= 0;

    /// <summary>Encodes <paramref name="text"/>; prepends BOS when asked, never appends EOS.</summary>
    IReadOnlyList<int> Encode(string text, bool addBos);

    /// <summary>Decodes ids to text, dropping BOS/EOS/pad and the SentencePiece leading space of the first piece.</summary>
    string Decode(IEnumerable<int> ids);
}
