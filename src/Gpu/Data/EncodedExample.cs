namespace RecurrentKif.Gpu.Data;

/// <summary>
/// One training example as token ids.
/// Decoder-only (<see cref="ExampleEncoder"/>): <see cref="InputIds"/> is the whole sequence (BOS + prompt + answer
/// [+ EOS]) and <see cref="Labels"/> is aligned with it position by position: the id itself where the loss applies,
/// <see cref="ExampleEncoder.IgnoreIndex"/> where it does not; the model's loss shifts them by one.
/// Encoder-decoder (<see cref="Seq2SeqExampleEncoder"/>): <see cref="InputIds"/> is the source the encoder reads and
/// <see cref="Labels"/> the target the decoder learns, each with its own length.
/// </summary>
public sealed record EncodedExample(int[] InputIds, int[] Labels)
{
    public int Length => InputIds.Length;
}
