namespace RecurrentKif.Actors.Pipeline;

/// <summary>
/// The node's model replica, created on first use by a compute stage, so that every libtorch call of the pipeline
/// happens on the one compute thread (see ActorSystemFactory): each OS thread that enters libtorch's parallel regions
/// gets its own OpenMP team, and two teams on two cores measurably slow each other down (≈15–25 % here).
/// </summary>
public sealed class ComputeContext(Func<ModelHost> create) : IDisposable
{
    private readonly Lazy<ModelHost> _host = new(create, LazyThreadSafetyMode.ExecutionAndPublication);

    public ModelHost Host => _host.Value;

    public void Dispose()
    {
        if (_host.IsValueCreated) _host.Value.Dispose();
    }
}
