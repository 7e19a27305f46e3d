// These tests start whole `rkif` processes that use both cores; running them side by side would only slow each down.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
