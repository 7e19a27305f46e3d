namespace RecurrentKif.Client.Security;

/// <summary>
/// The certificates a process needs to speak to a RecurrentKif cluster over Akka.Remote (docs/security.md): its own
/// certificate with private key (PKCS#12 / PFX) and the cluster CA that every peer's certificate must be signed by.
/// Nodes read these from <c>rkif.cluster.tls</c>; the submission client gets them from its caller.
/// </summary>
/// <param name="CertificatePath">This process's certificate and private key, PFX.</param>
/// <param name="Password">The PFX password ("" for none).</param>
/// <param name="CaPath">The cluster CA certificate (PEM or DER) that peers must chain to.</param>
public sealed record ClusterTlsOptions(string CertificatePath, string Password, string CaPath);
