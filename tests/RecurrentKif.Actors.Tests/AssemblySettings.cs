// Actor systems, Kestrel and remoting share two cores with the other test projects; running these tests one at a
// time keeps their generous timeouts generous.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
