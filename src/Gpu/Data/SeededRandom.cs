namespace RecurrentKif.Gpu.Data;

/// <summary>
/// Small seeded generator (xoshiro256**, state seeded by SplitMix64) used for every data-order decision.
/// System.Random is avoided on purpose: its seeded sequence is an implementation detail that may change
/// between .NET versions, and its state cannot be saved. Here the same seed gives the same numbers
/// everywhere, and <see cref="ExportState"/>/<see cref="FromState"/> let a resumed run continue exactly.
/// Not thread-safe.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SeededRandom(long seed)
    {
        ulong mix = unchecked((ulong)seed);
        _s0 = SplitMix64(ref mix);
        _s1 = SplitMix64(ref mix);
        _s2 = SplitMix64(ref mix);
        _s3 = SplitMix64(ref mix);
    }

    private SeededRandom(SeededRandomState state)
    {
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
            throw new ArgumentException("An all-zero xoshiro256** state only ever yields zeros.", nameof(state));
        (_s0, _s1, _s2, _s3) = (state.S0, state.S1, state.S2, state.S3);
    }

    public static SeededRandom FromState(SeededRandomState state) => new(state);

    public SeededRandomState ExportState() => new(_s0, _s1, _s2, _s3);

    /// <summary>
    /// A seed for an independent stream (e.g. one per epoch or per task) derived from a base seed, so that
    /// each stream can be recreated without replaying the others.
    /// </summary>
    public static long DeriveSeed(long seed, long stream)
    {
        ulong mix = unchecked((ulong)seed ^ ((ulong)stream * 0x9E3779B97F4A7C15UL));
        return unchecked((long)SplitMix64(ref mix));
    }

    /// <summary>
    /// FNV-1a over a name's UTF-16 code units: a stream number for <see cref="DeriveSeed"/> that is the same in every
    /// process and .NET version, unlike string.GetHashCode.
    /// </summary>
    public static long StableHash(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text) hash = (hash ^ c) * 1099511628211UL;
        return unchecked((long)hash);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, <paramref name="exclusiveMax"/>), without modulo bias.</summary>
    public int NextInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(exclusiveMax, 1);
        ulong range = (ulong)exclusiveMax;
        // Reject the top sliver of the 64-bit range that would make some remainders more likely.
        ulong limit = ulong.MaxValue - (ulong.MaxValue % range + 1) % range;
        ulong draw;
        do draw = NextUInt64(); while (draw > limit);
        return (int)(draw % range);
    }

    /// <summary>In-place Fisher–Yates shuffle (from the back), one draw per position.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary><paramref name="count"/> distinct indices drawn uniformly from [0, n), in draw order.</summary>
    public int[] SampleIndices(int n, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, n);
        var pool = new int[n];
        for (int i = 0; i < n; i++) pool[i] = i;
        // Partial Fisher–Yates from the front: position i receives a uniform pick of the not-yet-chosen rest.
        for (int i = 0; i < count; i++)
        {
            int j = i + NextInt(n - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..count];
    }

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
