using RecurrentKif.Gpu.Checkpoints;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Checkpoints;

/// <summary>
/// A checkpoint is verified and parsed from the same bytes, and one saved with a backup survives the loss or damage
/// of its first copy; without a usable copy the error names the file.
/// </summary>
public sealed class TensorBundleBackupTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "rkif-bundle-" + Guid.NewGuid().ToString("N"));

    public TensorBundleBackupTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private CheckpointReference Save(bool withBackup)
    {
        using var theta = arange(6, dtype: ScalarType.Float32);
        return TensorBundle.Save(Path.Combine(folder, "task00-final.adapter"), new Dictionary<string, Tensor> { ["theta"] = theta }, "{}", withBackup);
    }

    private static float[] Theta(CheckpointReference reference)
    {
        var (file, json) = TensorBundle.Open(reference);
        Assert.Equal("{}", json);
        using var theta = file.Load("theta");
        return theta.data<float>().ToArray();
    }

    [Fact]
    public void A_deleted_or_damaged_first_copy_falls_back_to_the_backup()
    {
        var reference = Save(withBackup: true);
        Assert.Equal(AtomicFile.Sha256Of(reference.Path), AtomicFile.Sha256Of(TensorBundle.BackupOf(reference.Path)));

        File.Delete(reference.Path);
        Assert.Equal([0f, 1, 2, 3, 4, 5], Theta(reference));

        File.Copy(TensorBundle.BackupOf(reference.Path), reference.Path);
        var bytes = File.ReadAllBytes(reference.Path);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(reference.Path, bytes);
        Assert.Equal([0f, 1, 2, 3, 4, 5], Theta(reference));
    }

    [Fact]
    public void Without_a_backup_a_missing_or_damaged_file_is_a_clear_error()
    {
        var reference = Save(withBackup: false);
        Assert.False(File.Exists(TensorBundle.BackupOf(reference.Path)));
        var bytes = File.ReadAllBytes(reference.Path);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(reference.Path, bytes);
        Assert.Contains("is corrupt", Assert.Throws<CheckpointException>(() => Theta(reference)).Message);
        File.Delete(reference.Path);
        Assert.Contains("is missing", Assert.Throws<CheckpointException>(() => Theta(reference)).Message);
    }

    [Fact]
    public void A_backup_that_does_not_match_the_recorded_hash_is_not_used()
    {
        var reference = Save(withBackup: true);
        File.Delete(reference.Path);
        File.WriteAllBytes(TensorBundle.BackupOf(reference.Path), [1, 2, 3]);
        Assert.Contains("is corrupt", Assert.Throws<CheckpointException>(() => Theta(reference)).Message);
    }
}
