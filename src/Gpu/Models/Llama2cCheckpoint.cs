using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models;

/// <summary>
/// Reads a llama2.c "legacy" checkpoint (28-byte header of 7 int32: dim, hidden, layers, heads, kv_heads, vocab, seq_len;
/// a negative vocab means an untied classifier; then fp32 tensors) into HF-named weights.
/// llama2.c rotates interleaved pairs; HF rotates halves. Permuting the rows of wq and wk within each head
/// (pairs (2i, 2i+1) → (i, i + d/2)) makes the two conventions compute the same function.
/// </summary>
public static class Llama2cCheckpoint
{
    public static (LlamaConfig Config, InMemoryWeights Weights) Read(string path)
    {
        if (!File.Exists(path)) throw new ModelLoadException($"llama2.c checkpoint not found: {path}");
        using var reader = new BinaryReader(File.OpenRead(path));
        long fileLength = reader.BaseStream.Length;
        if (fileLength < 28) throw new ModelLoadException($"{path}: too short for a llama2.c header");
        int dim = reader.ReadInt32(), hidden = reader.ReadInt32(), layers = reader.ReadInt32(), heads = reader.ReadInt32(),
            kvHeads = reader.ReadInt32(), vocab = reader.ReadInt32(), seqLen = reader.ReadInt32();
        bool shared = vocab > 0;
        vocab = Math.Abs(vocab);
        if (dim <= 0 || hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || seqLen <= 0 || dim % heads != 0)
            throw new ModelLoadException($"{path}: implausible llama2.c header (dim {dim}, hidden {hidden}, layers {layers}, heads {heads}, kv_heads {kvHeads}, seq_len {seqLen})");
        int headSize = dim / heads, kvDim = kvHeads * headSize;

        var config = new LlamaConfig
        {
            VocabSize = vocab, HiddenSize = dim, IntermediateSize = hidden, NumHiddenLayers = layers,
            NumAttentionHeads = heads, NumKeyValueHeads = kvHeads, HeadDim = headSize, MaxPositionEmbeddings = seqLen,
            RmsNormEps = 1e-5, RopeTheta = 10000.0, TieWordEmbeddings = shared,
        };
        long expectedFloats = (long)vocab * dim + layers * (2L * dim + (long)dim * dim * 2 + 2L * dim * kvDim + 3L * dim * hidden)
            + dim + (long)seqLen * headSize + (shared ? 0 : (long)vocab * dim);
        if (fileLength < 28 + expectedFloats * 4)
            throw new ModelLoadException($"{path}: file is {fileLength} bytes, the header implies at least {28 + expectedFloats * 4}");

        Tensor Next(params long[] shape)
        {
            long count = shape.Aggregate(1L, (a, b) => a * b);
            var bytes = reader.ReadBytes(checked((int)(count * 4)));
            var t = empty(shape, ScalarType.Float32);
            t.bytes = bytes;
            return t;
        }
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        string L(int i, string rest) => $"model.layers.{i}.{rest}";
        tensors["model.embed_tokens.weight"] = Next(vocab, dim);
        // Each block of llama2.c weights holds the tensor of every layer in turn.
        for (int i = 0; i < layers; i++) tensors[L(i, "input_layernorm.weight")] = Next(dim);
        for (int i = 0; i < layers; i++) tensors[L(i, "self_attn.q_proj.weight")] = InterleavedToHalves(Next(dim, dim), heads);
        for (int i = 0; i < layers; i++) tensors[L(i, "self_attn.k_proj.weight")] = InterleavedToHalves(Next(kvDim, dim), kvHeads);
        for (int i = 0; i < layers; i++) tensors[L(i, "self_attn.v_proj.weight")] = Next(kvDim, dim);
        for (int i = 0; i < layers; i++) tensors[L(i, "self_attn.o_proj.weight")] = Next(dim, dim);
        for (int i = 0; i < layers; i++) tensors[L(i, "post_attention_layernorm.weight")] = Next(dim);
        for (int i = 0; i < layers; i++) tensors[L(i, "mlp.gate_proj.weight")] = Next(hidden, dim);
        for (int i = 0; i < layers; i++) tensors[L(i, "mlp.down_proj.weight")] = Next(dim, hidden);
        for (int i = 0; i < layers; i++) tensors[L(i, "mlp.up_proj.weight")] = Next(hidden, dim);
        tensors["model.norm.weight"] = Next(dim);
        reader.BaseStream.Seek((long)seqLen * headSize * 4, SeekOrigin.Current); // legacy freq_cis (real + imag halves)
        if (!shared) tensors["lm_head.weight"] = Next(vocab, dim);
        return (config, new InMemoryWeights(path, tensors));
    }

    private static Tensor InterleavedToHalves(Tensor weight, int heads)
    {
        long rows = weight.shape[0], columns = weight.shape[1], headSize = rows / heads;
        var permuted = weight.view(heads, headSize / 2, 2, columns).transpose(1, 2).reshape(rows, columns).contiguous();
        weight.Dispose();
        return permuted;
    }
}
