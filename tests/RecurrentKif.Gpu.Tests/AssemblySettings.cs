// libtorch's random generator (LoRA init, dropout) and its thread pool are process-wide: tests that check
// bit-exact reproducibility must not share them with other tests running at the same time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
