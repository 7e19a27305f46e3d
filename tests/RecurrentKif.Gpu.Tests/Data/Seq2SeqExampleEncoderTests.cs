using RecurrentKif.Gpu.Data;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Data;

public sealed class Seq2SeqExampleEncoderTests
{
    private static readonly ByteTestTokenizer Tokenizer = new();
    private static readonly TaskExample Example = new("t_0", "Pick? Option: Yes, No.\n", "Text: hi\nAnswer:", "Yes");
    private static int[] Bytes(string text) => Tokenizer.Encode(text, addBos: false).ToArray();

    [Fact]
    public void Source_is_instruction_then_input_and_target_the_label_both_ending_in_eos()
    {
        var encoded = new Seq2SeqExampleEncoder(Tokenizer).EncodeForTraining(Example);
        Assert.Equal([.. Bytes("Pick? Option: Yes, No.\nText: hi\nAnswer:"), Tokenizer.EosId], encoded.InputIds);
        Assert.Equal([.. Bytes("Yes"), Tokenizer.EosId], encoded.Labels);
        Assert.DoesNotContain(Tokenizer.BosId, encoded.InputIds);
    }

    [Fact]
    public void Truncation_keeps_the_first_tokens_and_still_ends_in_eos()
    {
        var encoder = new Seq2SeqExampleEncoder(Tokenizer, sourceCutoff: 6, targetCutoff: 3);
        var encoded = encoder.EncodeForTraining(Example);
        Assert.Equal([.. Bytes("Pick?"), Tokenizer.EosId], encoded.InputIds);
        Assert.Equal([.. Bytes("Ye"), Tokenizer.EosId], encoded.Labels);
        Assert.Equal(encoded.InputIds, encoder.EncodePrompt(Example, reserveForAnswer: 16)); // the decoder has its own length
    }

    [Fact]
    public void Batches_pad_on_the_right_to_a_multiple_of_eight_with_shifted_decoder_inputs()
    {
        var encoder = new Seq2SeqExampleEncoder(Tokenizer, decoderStartId: 0);
        EncodedExample shortPair = new([10, 11, 2], [20, 2]), longPair = new([30, 31, 32, 33, 34, 35, 36, 37, 38, 2], [40, 41, 42, 2]);
        using var batch = (Seq2SeqBatch)encoder.Collate([shortPair, longPair], CPU);
        Assert.Equal([2L, 16L], batch.InputIds.shape);
        Assert.Equal([2L, 8L], batch.Labels.shape);
        Assert.Equal([10L, 11, 2, 0, 0, 0, 0, 0], batch.InputIds[0].narrow(0, 0, 8).data<long>().ToArray());
        Assert.Equal([true, true, true, false], batch.AttentionMask[0].narrow(0, 0, 4).data<bool>().ToArray());
        Assert.Equal(10, batch.AttentionMask[1].sum().item<long>());
        Assert.Equal([20L, 2, -100, -100, -100, -100, -100, -100], batch.Labels[0].data<long>().ToArray());
        Assert.Equal([0L, 20, 2, 0, 0, 0, 0, 0], batch.DecoderInputIds[0].data<long>().ToArray());
        Assert.Equal([0L, 40, 41, 42, 2, 0, 0, 0], batch.DecoderInputIds[1].data<long>().ToArray());
        Assert.Equal(6, batch.LabelTokenCount);
        Assert.Equal(13 + 6, batch.RealTokenCount);
    }

    [Fact]
    public void The_answer_is_the_trimmed_decoded_target() =>
        Assert.Equal("Yes", new Seq2SeqExampleEncoder(Tokenizer).ExtractAnswer(" Yes "));
}
