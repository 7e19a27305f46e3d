namespace RecurrentKif.Actors.Gateway;

/// <summary>
/// Resolves a path the way the kernel will when it opens it (every symbolic link along the way, <c>..</c> applied to the
/// real parent), so "is this inside the data root?" is asked of where a file really is, not where its name says it is.
/// </summary>
public static class PathConfinement
{
    // As Linux's MAXSYMLINKS: a longer chain is a loop or an attack.
    private const int MaxLinkHops = 40;

    /// <summary>
    /// The physical path of <paramref name="path"/> (made absolute against <paramref name="baseDirectory"/>). Components
    /// that do not exist are kept as written; they cannot redirect anywhere.
    /// </summary>
    /// <exception cref="IOException">A loop or too long a chain of symbolic links.</exception>
    public static string Resolve(string path, string baseDirectory)
    {
        string full = Path.GetFullPath(path, baseDirectory);
        string root = Path.GetPathRoot(full) ?? "/";
        var pending = new Stack<string>(Split(full[root.Length..]).Reverse());
        string current = root;
        int hops = 0;
        while (pending.TryPop(out string? part))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                // current is already physical, so its parent is the real parent.
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }
            string next = Path.Join(current, part);
            string? target = LinkTarget(next);
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++hops > MaxLinkHops) throw new IOException($"too many symbolic links (a loop?) while resolving '{full}' at '{next}'");
            // A link's target replaces the link: absolute targets restart at the root, relative ones at the link's folder.
            if (Path.IsPathRooted(target)) current = Path.GetPathRoot(target) ?? root;
            foreach (string targetPart in Split(target).Reverse()) pending.Push(targetPart);
        }
        return current;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or below it (both physical, absolute).</summary>
    public static bool IsInside(string path, string root)
    {
        string prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return path == root || path.StartsWith(prefix, StringComparison.Ordinal);
    }

    private static string[] Split(string path) =>
        path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);

    // FileInfo reads the entry itself (lstat), whether it is a file, a folder or a link to either; null when not a link.
    private static string? LinkTarget(string path) => new FileInfo(path).LinkTarget;
}
