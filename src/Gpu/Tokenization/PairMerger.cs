namespace RecurrentKif.Gpu.Tokenization;

/// <summary>
/// The pair-merge loop shared by the BPE encoders (<see cref="HuggingFace.ByteLevelBpeModel"/>,
/// <see cref="Llama2cTokenizer"/>): while some adjacent pair of symbols has a merge, the best one is joined, the
/// leftmost first among equally good ones. Only what "best" means differs between them: the lowest merge rank for
/// Hugging Face, the highest piece score for llama2.c (docs/tokenizers.md).
/// </summary>
/// <remarks>
/// The symbols live in a doubly linked list over their slots, and candidate merges wait in a priority queue, so a
/// merge costs a logarithmic queue operation instead of a rescan of the whole sequence after every merge.
/// Slots keep their text order and a merge keeps its left slot, so ordering candidates by (priority, left slot)
/// is ordering them by (priority, position), which is the tie-break both encoders need.
/// </remarks>
/// <typeparam name="TPriority">What ranks a merge: compared by the order given to the constructor.</typeparam>
internal sealed class PairMerger<TPriority>
{
    /// <summary>Whether pieces <paramref name="left"/> and <paramref name="right"/>, adjacent, merge; if so into what and how urgently.</summary>
    public delegate bool MergeLookup(int left, int right, out int merged, out TPriority priority);

    private readonly MergeLookup _lookup;
    private readonly IComparer<(TPriority Priority, int Left)> _order;

    /// <param name="lookup">The merge rules.</param>
    /// <param name="priorityOrder">Sorts the merge to do first before the others; equal priorities go leftmost first.</param>
    public PairMerger(MergeLookup lookup, IComparer<TPriority> priorityOrder)
    {
        _lookup = lookup;
        _order = new ThenLeftmost(priorityOrder);
    }

    /// <summary>
    /// Merges <paramref name="symbols"/> as far as the rules allow and appends the resulting ids to
    /// <paramref name="ids"/>. <paramref name="symbols"/> is used as working space and overwritten.
    /// </summary>
    public void Merge(int[] symbols, List<int> ids)
    {
        if (symbols.Length == 0) return;
        new Run(symbols, this).AppendMerged(ids);
    }

    /// <summary>The priority order, then the left slot, lower first.</summary>
    private sealed class ThenLeftmost(IComparer<TPriority> priorityOrder) : IComparer<(TPriority Priority, int Left)>
    {
        public int Compare((TPriority Priority, int Left) x, (TPriority Priority, int Left) y)
        {
            int byPriority = priorityOrder.Compare(x.Priority, y.Priority);
            return byPriority != 0 ? byPriority : x.Left.CompareTo(y.Left);
        }
    }

    /// <summary>One sequence's merging.</summary>
    private readonly struct Run
    {
        private readonly int[] _token, _previous, _next;
        private readonly MergeLookup _lookup;
        /// <summary>A possible merge of slot Left with its successor, holding both pieces as they were when queued.</summary>
        private readonly PriorityQueue<(int Left, int LeftToken, int RightToken, int Merged), (TPriority Priority, int Left)> _queue;

        public Run(int[] symbols, PairMerger<TPriority> merger)
        {
            int n = symbols.Length;
            _token = symbols;
            _previous = new int[n];
            _next = new int[n];
            for (int i = 0; i < n; i++)
            {
                _previous[i] = i - 1;
                _next[i] = i + 1 < n ? i + 1 : -1;
            }
            _lookup = merger._lookup;
            _queue = new(merger._order);
            for (int i = 0; i + 1 < n; i++) Offer(i);
        }

        public void AppendMerged(List<int> ids)
        {
            while (_queue.TryDequeue(out var candidate, out _))
            {
                int left = candidate.Left, right = _next[left];
                // Stale entries (a side was merged away or changed since queuing) are skipped, not removed.
                if (_token[left] != candidate.LeftToken || right < 0 || _token[right] != candidate.RightToken) continue;

                _token[left] = candidate.Merged;
                _token[right] = -1;
                _next[left] = _next[right];
                if (_next[right] >= 0) _previous[_next[right]] = left;
                if (_previous[left] >= 0) Offer(_previous[left]);
                Offer(left);
            }
            for (int slot = 0; slot >= 0; slot = _next[slot]) ids.Add(_token[slot]);
        }

        /// <summary>Queues the merge of slot <paramref name="left"/> with its successor, if those pieces merge.</summary>
        private void Offer(int left)
        {
            int right = _next[left];
            if (right < 0 || !_lookup(_token[left], _token[right], out int merged, out TPriority priority)) return;
            _queue.Enqueue((left, _token[left], _token[right], merged), (priority, left));
        }
    }
}
