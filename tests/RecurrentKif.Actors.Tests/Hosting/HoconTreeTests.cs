using RecurrentKif.Actors.Hosting;

namespace RecurrentKif.Actors.Tests.Hosting;

/// <summary>Values set on a <see cref="HoconTree"/> come back from Akka's Config exactly, whatever characters they hold.</summary>
public sealed class HoconTreeTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("with \"quotes\" and \\backslashes\\")]
    [InlineData("${akka.remote} substitution, # comment, // comment, { braces }, [brackets], = and :")]
    [InlineData("new\nline and\ttab")]
    [InlineData("")]
    public void A_string_reads_back_unchanged(string value)
    {
        var config = new HoconTree().Set("akka.some.deep.key", value).ToConfig();
        Assert.Equal(value, config.GetString("akka.some.deep.key"));
    }

    [Fact]
    public void Lists_durations_and_switches_read_back_as_Akka_types()
    {
        var config = new HoconTree()
            .Set("a.list", ["akka.tcp://rkif@127.0.0.1:25520", "x\"y"])
            .Set("a.stable-after", TimeSpan.FromSeconds(7))
            .Set("a.flag", true)
            .ToConfig();
        Assert.Equal(["akka.tcp://rkif@127.0.0.1:25520", "x\"y"], config.GetStringList("a.list"));
        Assert.Equal(TimeSpan.FromSeconds(7), config.GetTimeSpan("a.stable-after"));
        Assert.True(config.GetBoolean("a.flag"));
    }

    [Fact]
    public void Setting_one_path_twice_is_a_programming_error() =>
        Assert.Throws<InvalidOperationException>(() => new HoconTree().Set("a.b", "1").Set("a.b", "2"));
}
