using System.CommandLine;
using System.Security.Cryptography;
using RecurrentKif.Client.Security;
using Serilog;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// <c>rkif certs --out DIR [--host H]… [--days N]</c>: a development set of cluster certificates (docs/security.md): a
/// cluster CA, a node certificate and a submission-client certificate signed by it, and the PFX password in
/// <c>DIR/password</c> (owner-only). For production, issue node certificates from your own CA the same way.
/// </summary>
public static class CertsCommand
{
    public const string PasswordFile = "password";

    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "An empty (or new) folder for the certificates", Required = true };
        var hosts = new Option<string[]>("--host")
        {
            Description = "A host name or IP the node certificate names (repeatable; default localhost and 127.0.0.1). Names are informative: peers are checked against the CA, not by name",
        };
        var days = new Option<int>("--days") { Description = "Validity in days", DefaultValueFactory = _ => 365 };
        var command = new Command("certs", "Make a development cluster CA and node/client certificates for Akka.Remote over mutual TLS") { output, hosts, days };
        command.SetAction(parse =>
        {
            string folder = Path.GetFullPath(parse.GetValue(output)!);
            string[] names = parse.GetValue(hosts) is { Length: > 0 } given ? given : ["localhost", "127.0.0.1"];
            int validDays = parse.GetValue(days);
            if (validDays < 1) throw new ArgumentException($"--days must be at least 1, got {validDays}");
            string password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            try
            {
                if (File.Exists(Path.Combine(folder, PasswordFile))) throw new IOException($"'{Path.Combine(folder, PasswordFile)}' exists already; give an empty folder");
                ClusterCertificates.WriteDevelopmentSet(folder, password, names, TimeSpan.FromDays(validDays));
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var writer = new StreamWriter(new FileStream(Path.Combine(folder, PasswordFile), options));
                writer.Write(password);
            }
            catch (IOException e)
            {
                // The user's to fix (a folder in use, a full disk): one clear line, not a stack trace.
                throw new InvalidOperationException($"rkif certs: {e.Message}", e);
            }
            Log.Information("Wrote {Ca}, {Node} and {Client} to {Folder}; the PFX password is in {Password}. Keep {CaKey} off the nodes",
                ClusterCertificates.CaCertificateFile, ClusterCertificates.NodeCertificateFile, ClusterCertificates.ClientCertificateFile, folder,
                PasswordFile, ClusterCertificates.CaKeyFile);
            return 0;
        });
        return command;
    }
}
