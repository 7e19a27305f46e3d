using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace RecurrentKif.Actors.Hosting;

/// <summary>
/// Builds a <see cref="Config"/> as a tree of values, never as text: the node's settings come from the user's HOCON as
/// typed options, and a value such as a password with a <c>"</c> or <c>\</c> must reach Akka exactly as it was read.
/// Pasting it into HOCON text would need escaping that is easy to get wrong (issue 15, item 7); a tree needs none.
/// Paths are the code's own constants (dotted, no quoted segments).
/// </summary>
public sealed class HoconTree
{
    private readonly HoconObject _root = new();

    public HoconTree Set(string path, string value)
    {
        Leaf(path).AppendValue(new HoconLiteral { Value = value });
        return this;
    }

    public HoconTree Set(string path, bool value) => Set(path, value ? "on" : "off");

    public HoconTree Set(string path, TimeSpan value) =>
        Set(path, ((long)value.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + "ms");

    public HoconTree Set(string path, IEnumerable<string> values)
    {
        var array = new HoconArray();
        foreach (string value in values)
        {
            var element = new HoconValue();
            element.AppendValue(new HoconLiteral { Value = value });
            array.Add(element);
        }
        Leaf(path).AppendValue(array);
        return this;
    }

    public Config ToConfig()
    {
        var root = new HoconValue();
        root.AppendValue(_root);
        return new Config(new HoconRoot(root));
    }

    /// <summary>The (empty) value at <paramref name="path"/>, creating the objects above it.</summary>
    private HoconValue Leaf(string path)
    {
        string[] keys = path.Split('.');
        var current = _root;
        for (int i = 0; i < keys.Length - 1; i++)
        {
            var child = current.GetOrCreateKey(keys[i]);
            if (child.GetObject() is not { } next)
            {
                next = new HoconObject();
                child.AppendValue(next);
            }
            current = next;
        }
        var leaf = current.GetOrCreateKey(keys[^1]);
        if (!leaf.IsEmpty) throw new InvalidOperationException($"HOCON path {path} is set twice");
        return leaf;
    }
}
