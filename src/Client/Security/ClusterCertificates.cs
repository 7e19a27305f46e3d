using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RecurrentKif.Client.Security;

/// <summary>
/// Loads a process's cluster certificates (<see cref="ClusterTlsOptions"/>) and makes a development set
/// (<c>rkif certs</c>, docs/security.md): a cluster CA and certificates it signs, usable both as TLS server and client
/// (Akka.Remote connections are mutual: every node is both).
/// </summary>
public static class ClusterCertificates
{
    public const string CaCertificateFile = "cluster-ca.crt";
    public const string CaKeyFile = "cluster-ca.pfx";
    public const string NodeCertificateFile = "node.pfx";
    public const string ClientCertificateFile = "client.pfx";

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>This process's certificate with its private key; fails with the file named when it has no key.</summary>
    public static X509Certificate2 LoadOwn(ClusterTlsOptions tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        if (!File.Exists(tls.CertificatePath)) throw new FileNotFoundException($"cluster TLS certificate '{tls.CertificatePath}' does not exist", tls.CertificatePath);
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath, tls.Password, X509KeyStorageFlags.Exportable);
        return certificate.HasPrivateKey ? certificate
            : throw new InvalidDataException($"cluster TLS certificate '{tls.CertificatePath}' holds no private key; give the PFX with its key");
    }

    /// <summary>The cluster CA's certificate (PEM or DER; no key needed).</summary>
    public static X509Certificate2 LoadCa(ClusterTlsOptions tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        if (!File.Exists(tls.CaPath)) throw new FileNotFoundException($"cluster CA certificate '{tls.CaPath}' does not exist", tls.CaPath);
        return X509CertificateLoader.LoadCertificateFromFile(tls.CaPath);
    }

    /// <summary>
    /// Writes a new cluster CA (<see cref="CaCertificateFile"/>, and with its key <see cref="CaKeyFile"/>), a node
    /// certificate (<see cref="NodeCertificateFile"/>) and a client certificate (<see cref="ClientCertificateFile"/>)
    /// for the submission client, all PFX files protected by <paramref name="password"/>. Existing files are not
    /// overwritten: a second run would make a CA the running cluster does not trust.
    /// </summary>
    public static void WriteDevelopmentSet(string folder, string password, IReadOnlyList<string> hosts, TimeSpan validity)
    {
        ArgumentNullException.ThrowIfNull(password);
        Directory.CreateDirectory(folder);
        string[] files = [CaCertificateFile, CaKeyFile, NodeCertificateFile, ClientCertificateFile];
        foreach (string file in files)
            if (File.Exists(Path.Combine(folder, file))) throw new IOException($"'{Path.Combine(folder, file)}' exists already; give an empty folder");

        var now = DateTimeOffset.UtcNow.AddMinutes(-5);   // a little slack for clocks that differ between machines
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=RecurrentKif cluster CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now, now + validity);
        File.WriteAllText(Path.Combine(folder, CaCertificateFile), ca.ExportCertificatePem());
        WritePrivate(Path.Combine(folder, CaKeyFile), ca.Export(X509ContentType.Pfx, password));
        WritePrivate(Path.Combine(folder, NodeCertificateFile), Issue(ca, "CN=rkif-node", hosts, now, validity).Export(X509ContentType.Pfx, password));
        WritePrivate(Path.Combine(folder, ClientCertificateFile), Issue(ca, "CN=rkif-client", hosts, now, validity).Export(X509ContentType.Pfx, password));
    }

    /// <summary>A certificate signed by <paramref name="ca"/>, for TLS server and client use, naming <paramref name="hosts"/>.</summary>
    public static X509Certificate2 Issue(X509Certificate2 ca, string subject, IReadOnlyList<string> hosts, DateTimeOffset notBefore, TimeSpan validity)
    {
        ArgumentNullException.ThrowIfNull(ca);
        using var caKey = ca.GetECDsaPrivateKey() ?? throw new InvalidDataException("the CA certificate has no ECDSA private key");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication, ClientAuthentication], false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (string host in hosts)
        {
            if (System.Net.IPAddress.TryParse(host, out var ip)) names.AddIpAddress(ip);
            else names.AddDnsName(host);
        }
        request.CertificateExtensions.Add(names.Build());
        var notAfter = notBefore + validity;
        if (notAfter > ca.NotAfter) notAfter = ca.NotAfter;
        using var signed = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), notBefore, notAfter,
            RandomNumberGenerator.GetBytes(16));
        return signed.CopyWithPrivateKey(key);
    }

    private static void WritePrivate(string path, byte[] bytes)
    {
        // Private keys: readable by the owner only (the PFX password is the second lock).
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        stream.Write(bytes);
    }
}
