using System.Security.Cryptography;
using System.Text;

namespace RecurrentKif.Actors.Gateway;

/// <summary>
/// Checks a presented token against the configured one in constant time. Both are hashed first, so the comparison
/// takes the same time whatever the presented token's length or its first differing character.
/// </summary>
public sealed class GatewayToken
{
    private readonly byte[]? expectedHash;

    public GatewayToken(string configuredToken)
    {
        ArgumentNullException.ThrowIfNull(configuredToken);
        expectedHash = configuredToken.Length > 0 ? Hash(configuredToken) : null;
    }

    /// <summary>False when no token is configured: then nobody is let in.</summary>
    public bool IsConfigured => expectedHash is not null;

    public bool Matches(string? presented) =>
        expectedHash is not null && presented is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Hash(presented), expectedHash);

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
