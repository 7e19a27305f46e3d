using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using RecurrentKif.Actors.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace RecurrentKif.Actors.Tests.Cluster;

/// <summary>
/// Tensors between nodes go through StreamRefs, never as one remote message: two actor systems joined in a cluster
/// over TCP, one offering a 4 MB tensor (32× Akka.Remote's 128 KB frame) and a bf16 one, the other pulling them;
/// the received bytes equal the sent ones bit for bit.
/// </summary>
public sealed class TensorStreamAcrossNodesTests : IAsyncLifetime
{
    private ActorSystem _sender = null!, _receiver = null!;

    private sealed record Offer(ISourceRef<byte[]> Tensors);

    private sealed class Offerer : ReceiveActor
    {
        public Offerer(Tensor[] tensors)
        {
            var materializer = Context.Materializer();
            Receive<string>(_ =>
            {
                var replyTo = Sender;
                TensorStream.From(tensors.Select((t, i) => ($"t.{i}", t)).ToList())
                    .RunWith(StreamRefs.SourceRef<byte[]>(), materializer)
                    .PipeTo(replyTo, success: r => new Offer(r));
            });
        }
    }

    public async Task InitializeAsync()
    {
        _sender = NewNode();
        _receiver = NewNode();
        var a = Akka.Cluster.Cluster.Get(_sender);
        var b = Akka.Cluster.Cluster.Get(_receiver);
        var up = new TaskCompletionSource();
        b.RegisterOnMemberUp(() => up.TrySetResult());
        a.Join(a.SelfAddress);
        b.Join(a.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private static ActorSystem NewNode() => ActorSystem.Create("rkif", ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          actor.provider = cluster
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          cluster.seed-nodes = []
        }
        """));

    [Fact]
    public async Task ATensorLargerThanTheRemoteFrameArrivesBitForBit()
    {
        var generator = new torch.Generator(7);
        using var big = randn([1024, 1024], generator: generator);           // 4 MiB of float32
        using var half = randn([333, 77], generator: generator).to(ScalarType.BFloat16);
        Assert.True(big.NumberOfElements * 4 > 128 * 1024 * 16);

        var tensors = new[] { big, half };
        var offerer = _sender.ActorOf(Akka.Actor.Props.Create(() => new Offerer(tensors)), "offerer");
        var remote = await _receiver.ActorSelection(offerer.Path.ToStringWithAddress(((ExtendedActorSystem)_sender).Provider.DefaultAddress))
            .ResolveOne(TimeSpan.FromSeconds(20));
        Assert.NotEqual(((ExtendedActorSystem)_sender).Provider.DefaultAddress, ((ExtendedActorSystem)_receiver).Provider.DefaultAddress);
        var offer = await remote.Ask<Offer>("send", TimeSpan.FromSeconds(30));

        var payload = await TensorStream.ReadAsync(offer.Tensors.Source, _receiver.Materializer(), TimeSpan.FromSeconds(60));
        var received = payload.ToTensors(CPU);
        Assert.Equal(["t.0", "t.1"], payload.Blocks.Select(b => b.Name));
        Assert.Equal(big.shape, received[0].shape);
        Assert.Equal(ScalarType.BFloat16, received[1].dtype);
        Assert.Equal(big.bytes.ToArray(), received[0].bytes.ToArray());
        Assert.Equal(half.bytes.ToArray(), received[1].bytes.ToArray());
        foreach (var t in received) t.Dispose();
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_receiver.Terminate(), _sender.Terminate());
    }
}
