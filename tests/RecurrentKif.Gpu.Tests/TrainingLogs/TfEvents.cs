namespace RecurrentKif.Gpu.Tests.TrainingLogs;

/// <summary>
/// Reads a TensorBoard event file for the tests: TFRecord framing (uint64 length, uint32 masked CRC of the length,
/// the bytes, uint32 masked CRC of the bytes), each record one serialized tensorboard Event.
/// </summary>
public static class TfEvents
{
    public sealed record Scalar(string Tag, float Value, long Step);

    public static IReadOnlyList<Scalar> Scalars(string path)
    {
        var scalars = new List<Scalar>();
        using var reader = new BinaryReader(File.OpenRead(path));
        bool first = true;
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            long length = reader.ReadInt64();
            reader.ReadUInt32();
            byte[] data = reader.ReadBytes(checked((int)length));
            Assert.Equal(length, data.Length);
            reader.ReadUInt32();
            var e = Tensorboard.Event.Parser.ParseFrom(data);
            if (first) Assert.Equal("brain.Event:2", e.FileVersion);   // the file header event
            first = false;
            if (e.Summary is null) continue;
            foreach (var v in e.Summary.Value) scalars.Add(new Scalar(v.Tag, v.SimpleValue, e.Step));
        }
        return scalars;
    }
}
