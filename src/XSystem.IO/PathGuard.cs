using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using XSystem.IO.Internal;

namespace XSystem.IO;

/// <summary>
/// Confines untrusted paths (from uploads, archives, URLs, configuration) to one root directory. <see cref="Resolve"/>
/// turns an untrusted relative or absolute path into a canonical absolute path inside the root, or rejects it with an
/// <see cref="UnsafePathException"/> that says why.
/// </summary>
/// <remarks>
/// <para>The guard rejects <c>..</c> components that step above the root (<c>a/../b</c> is fine), absolute paths outside
/// the root, symbolic links and junctions at any level that lead outside the root (chains are followed link by link,
/// up to 40 hops), control characters, and names that are too long. With <see cref="PathGuardOptions.PortableNames"/>
/// (the default, and always on Windows) it also rejects Windows device names, alternate data streams, trailing dots
/// and spaces, and treats <c>\</c> as a separator. Ordinary names such as <c>a (1).txt</c>, <c>$notes</c>,
/// <c>~draft</c>, <c>.hidden</c>, names with spaces and non-ASCII names are accepted.</para>
/// <para>Percent-encoding is not decoded: <c>%2e%2e</c> is a literal (harmless) name. Decode URLs before calling.</para>
/// <para>The returned path contains no <c>..</c> and no symbolic link in its existing part; components that do not
/// exist yet are allowed when their existing parent is inside the root. The check is a snapshot: a process that can
/// write inside the root can swap a directory for a link between <see cref="Resolve"/> and the open (TOCTOU).</para>
/// <para>Thread safety: instances are immutable; every member is safe to call from any number of threads.</para>
/// </remarks>
public sealed class PathGuard
{
    private const int MaxSymlinkHops = 40;

    private static readonly string[] ReservedBaseNames =
        ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];

    private static readonly SearchValues<char> WindowsInvalidChars = SearchValues.Create("<>\"|?*");

    private readonly bool _portable;
    private readonly bool _backslashIsSeparator;
    private readonly int _maxPathLength;
    private readonly int _maxComponentLength;
    private readonly StringComparison _comparison;
    private readonly string _rootWithSeparator;
    private readonly string _givenRoot;
    private readonly string _givenRootWithSeparator;

    /// <summary>Creates a guard for <paramref name="root"/>.</summary>
    /// <param name="root">An existing directory. It is made absolute and canonical (symbolic links resolved).</param>
    /// <param name="options">Settings; <see langword="null"/> uses the defaults of <see cref="PathGuardOptions"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="root"/> is null, empty or contains NUL, or an option is out of range.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist or is not a directory.</exception>
    public PathGuard(string root, PathGuardOptions? options = null)
    {
        Guard.NotNullOrEmptyPath(root);
        options ??= new PathGuardOptions();
        if (options.MaxPathLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxPathLength, IOMessages.PathGuardOption(nameof(options.MaxPathLength), options.MaxPathLength));
        }

        if (options.MaxComponentLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxComponentLength, IOMessages.PathGuardOption(nameof(options.MaxComponentLength), options.MaxComponentLength));
        }

        PortableNames = options.PortableNames;
        _portable = options.PortableNames || OperatingSystem.IsWindows();
        _backslashIsSeparator = _portable;
        _maxPathLength = options.MaxPathLength;
        _maxComponentLength = options.MaxComponentLength;
        _comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException(IOMessages.PathGuardRootMissing(full));
        }

        int hops = 0;
        string? canonical = null;
        if (WalkAbsolute(full, ref hops, out canonical, out _) != UnsafePathReason.None || canonical is null)
        {
            throw new DirectoryNotFoundException(IOMessages.PathGuardRootMissing(full));
        }

        Root = canonical;
        _rootWithSeparator = WithSeparator(canonical);
        _givenRoot = full;
        _givenRootWithSeparator = WithSeparator(full);
    }

    /// <summary>The canonical absolute root directory (symbolic links resolved, no trailing separator unless it is a file system root).</summary>
    public string Root { get; }

    /// <summary>Whether <see cref="PathGuardOptions.PortableNames"/> was on when the guard was created.</summary>
    public bool PortableNames { get; }

    /// <summary>Resolves an untrusted path to a canonical absolute path inside <see cref="Root"/>.</summary>
    /// <param name="untrusted">A relative path (taken relative to the root) or an absolute path inside the root.</param>
    /// <returns>The canonical absolute path; it may name a file or directory that does not exist yet.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="untrusted"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="untrusted"/> is empty.</exception>
    /// <exception cref="UnsafePathException">The path is not safe; <see cref="UnsafePathException.Reason"/> says why.</exception>
    /// <exception cref="IOException">The file system could not be inspected (for example a directory without search permission).</exception>
    public string Resolve(string untrusted)
    {
        UnsafePathReason reason = ResolveCore(untrusted, out string? path, out string? detail);
        if (reason != UnsafePathReason.None)
        {
            throw new UnsafePathException(untrusted, Root, reason, IOMessages.UnsafePath(untrusted, Root, reason, detail));
        }

        return path!;
    }

    /// <summary>Resolves an untrusted path like <see cref="Resolve"/>, reporting rejection as <see langword="false"/>.</summary>
    /// <param name="untrusted">A relative path (taken relative to the root) or an absolute path inside the root.</param>
    /// <param name="path">The canonical absolute path when the result is <see langword="true"/>; otherwise <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the path is safe.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="untrusted"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="untrusted"/> is empty.</exception>
    public bool TryResolve(string untrusted, [NotNullWhen(true)] out string? path) =>
        TryResolve(untrusted, out path, out _);

    /// <summary>Resolves an untrusted path like <see cref="Resolve"/>, reporting rejection and its reason without throwing.</summary>
    /// <param name="untrusted">A relative path (taken relative to the root) or an absolute path inside the root.</param>
    /// <param name="path">The canonical absolute path when the result is <see langword="true"/>; otherwise <see langword="null"/>.</param>
    /// <param name="reason"><see cref="UnsafePathReason.None"/> on success, otherwise why the path was rejected.</param>
    /// <returns><see langword="true"/> when the path is safe.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="untrusted"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="untrusted"/> is empty.</exception>
    public bool TryResolve(string untrusted, [NotNullWhen(true)] out string? path, out UnsafePathReason reason)
    {
        reason = ResolveCore(untrusted, out path, out _);
        if (reason != UnsafePathReason.None || path is null)
        {
            path = null;
            return false;
        }

        return true;
    }

    private UnsafePathReason ResolveCore(string untrusted, out string? path, out string? detail)
    {
        ArgumentNullException.ThrowIfNull(untrusted);
        if (untrusted.Length == 0)
        {
            throw new ArgumentException(IOMessages.PathGuardEmptyInput, nameof(untrusted));
        }

        path = null;
        detail = null;

        // Length first: it bounds every later step. UTF-16 length <= UTF-8 length, so the cheap test is exact.
        if (untrusted.Length > _maxPathLength || Encoding.UTF8.GetByteCount(untrusted) > _maxPathLength)
        {
            detail = $"input is {Encoding.UTF8.GetByteCount(untrusted)} UTF-8 bytes, the limit is {_maxPathLength}";
            return UnsafePathReason.PathTooLong;
        }

        foreach (char c in untrusted)
        {
            if (c < 0x20 || c == 0x7F)
            {
                detail = string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}");
                return UnsafePathReason.InvalidCharacter;
            }
        }

        List<string> relative;
        if (IsAbsolute(untrusted, out UnsafePathReason rootedReason))
        {
            UnsafePathReason r = ResolveAbsolute(untrusted, out relative, out path, out detail);
            if (r != UnsafePathReason.None || path is not null)
            {
                return r;
            }
        }
        else if (rootedReason != UnsafePathReason.None)
        {
            return rootedReason;
        }
        else
        {
            UnsafePathReason r = NormalizeRelative(untrusted, out relative, out detail);
            if (r != UnsafePathReason.None)
            {
                return r;
            }
        }

        int hops = 0;
        UnsafePathReason walk = Walk(Root, relative, confine: true, ref hops, out string? resolved, out detail);
        if (walk != UnsafePathReason.None)
        {
            return walk;
        }

        return Finish(resolved!, out path, out detail);
    }

    private UnsafePathReason Finish(string resolved, out string? path, out string? detail)
    {
        int bytes = Encoding.UTF8.GetByteCount(resolved);
        if (bytes > _maxPathLength)
        {
            path = null;
            detail = $"the resolved path is {bytes} UTF-8 bytes, the limit is {_maxPathLength}";
            return UnsafePathReason.PathTooLong;
        }

        path = resolved;
        detail = null;
        return UnsafePathReason.None;
    }

    private bool IsAbsolute(string input, out UnsafePathReason rootedReason)
    {
        rootedReason = UnsafePathReason.None;
        if (OperatingSystem.IsWindows())
        {
            if (Path.IsPathFullyQualified(input))
            {
                return true;
            }

            if (Path.IsPathRooted(input))
            {
                // "\dir" (current drive) and "C:dir" (current directory of drive C) depend on process state.
                rootedReason = UnsafePathReason.OutsideRoot;
            }

            return false;
        }

        return input[0] == '/' || (_backslashIsSeparator && input[0] == '\\');
    }

    private UnsafePathReason NormalizeRelative(string input, out List<string> components, out string? detail)
    {
        components = [];
        detail = null;
        foreach (string part in SplitInput(input))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (components.Count == 0)
                {
                    return UnsafePathReason.Traversal;
                }

                components.RemoveAt(components.Count - 1);
                continue;
            }

            UnsafePathReason r = ValidateName(part, out detail);
            if (r != UnsafePathReason.None)
            {
                return r;
            }

            components.Add(part);
        }

        return UnsafePathReason.None;
    }

    /// <summary>
    /// Handles an absolute input. When it lies lexically under the root, returns the components below the root for the
    /// confined walk (path stays null). Otherwise resolves it fully and accepts it only if it lands inside the root.
    /// </summary>
    private UnsafePathReason ResolveAbsolute(string input, out List<string> relative, out string? path, out string? detail)
    {
        relative = [];
        path = null;
        detail = null;
        string normalized = _backslashIsSeparator && !OperatingSystem.IsWindows() ? input.Replace('\\', '/') : input;
        string prefix = Path.GetPathRoot(normalized)!;

        // Lexical normalisation; ".." at the file system root stays there, as the kernel does.
        var lexical = new List<string>();
        foreach (string part in SplitInput(normalized[prefix.Length..]))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (lexical.Count > 0)
                {
                    lexical.RemoveAt(lexical.Count - 1);
                }

                continue;
            }

            lexical.Add(part);
        }

        string joined = prefix + string.Join(Path.DirectorySeparatorChar, lexical);
        string? under = RelativeUnder(joined, Root, _rootWithSeparator) ?? RelativeUnder(joined, _givenRoot, _givenRootWithSeparator);
        if (under is not null)
        {
            return NormalizeRelative(under.Length == 0 ? "." : under, out relative, out detail);
        }

        // Not lexically inside: it may still be an alias of the root through a symbolic link. Resolve it fully.
        foreach (string part in lexical)
        {
            UnsafePathReason r = ValidateName(part, out detail);
            if (r != UnsafePathReason.None)
            {
                return r;
            }
        }

        int hops = 0;
        UnsafePathReason walk = WalkAbsolute(joined, ref hops, out string? resolved, out detail);
        if (walk != UnsafePathReason.None)
        {
            return walk;
        }

        if (!IsInside(resolved!))
        {
            detail = null;
            return UnsafePathReason.OutsideRoot;
        }

        return Finish(resolved!, out path, out detail);
    }

    private string? RelativeUnder(string path, string root, string rootWithSeparator)
    {
        if (string.Equals(path, root, _comparison))
        {
            return string.Empty;
        }

        return path.StartsWith(rootWithSeparator, _comparison) ? path[rootWithSeparator.Length..] : null;
    }

    private UnsafePathReason WalkAbsolute(string absolute, ref int hops, out string? resolved, out string? detail)
    {
        string prefix = Path.GetPathRoot(absolute)!;
        var parts = new List<string>(SplitNative(absolute[prefix.Length..]));
        return Walk(prefix, parts, confine: false, ref hops, out resolved, out detail);
    }

    /// <summary>
    /// Walks <paramref name="components"/> from the canonical directory <paramref name="start"/> the way the kernel
    /// does: each existing component that is a symbolic link is replaced by its target, '..' goes to the parent of
    /// the canonical current directory. When <paramref name="confine"/> is set, the walk fails as soon as it leaves
    /// the root.
    /// </summary>
    private UnsafePathReason Walk(string start, List<string> components, bool confine, ref int hops, out string? resolved, out string? detail)
    {
        resolved = null;
        detail = null;
        var pending = new Stack<string>(components.Count);
        for (int i = components.Count - 1; i >= 0; i--)
        {
            pending.Push(components[i]);
        }

        string current = start;
        string? lastLink = null;
        while (pending.TryPop(out string? part))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
            }
            else
            {
                string candidate = Path.Join(current, part);
                string? target = new FileInfo(candidate).LinkTarget;
                if (target is null)
                {
                    current = candidate;
                }
                else
                {
                    if (++hops > MaxSymlinkHops)
                    {
                        detail = candidate;
                        return UnsafePathReason.SymlinkLoop;
                    }

                    lastLink = candidate;
                    if (Path.IsPathRooted(target))
                    {
                        UnsafePathReason r = WalkAbsolute(target, ref hops, out string? targetResolved, out detail);
                        if (r != UnsafePathReason.None)
                        {
                            return r;
                        }

                        current = targetResolved!;
                    }
                    else
                    {
                        string[] targetParts = SplitNative(target);
                        for (int i = targetParts.Length - 1; i >= 0; i--)
                        {
                            pending.Push(targetParts[i]);
                        }
                    }
                }
            }

            if (confine && !IsInside(current))
            {
                detail = lastLink is null ? null : $"'{lastLink}' -> '{current}'";
                return lastLink is null ? UnsafePathReason.Traversal : UnsafePathReason.SymlinkEscape;
            }
        }

        resolved = current;
        return UnsafePathReason.None;
    }

    private bool IsInside(string path) =>
        string.Equals(path, Root, _comparison) || path.StartsWith(_rootWithSeparator, _comparison);

    private UnsafePathReason ValidateName(string name, out string? detail)
    {
        detail = null;
        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > _maxComponentLength)
        {
            detail = $"{bytes} UTF-8 bytes, the limit is {_maxComponentLength}";
            return UnsafePathReason.ComponentTooLong;
        }

        if (!_portable)
        {
            return UnsafePathReason.None;
        }

        string quoted = IOMessages.Quote(name);
        if (name.Contains(':', StringComparison.Ordinal))
        {
            detail = quoted;
            return UnsafePathReason.AlternateDataStream;
        }

        if (name.AsSpan().IndexOfAny(WindowsInvalidChars) >= 0)
        {
            detail = $"one of < > \" | ? * in {quoted}";
            return UnsafePathReason.InvalidCharacter;
        }

        if (name[^1] is '.' or ' ')
        {
            detail = quoted;
            return UnsafePathReason.TrailingDotOrSpace;
        }

        if (IsReservedDeviceName(name))
        {
            detail = quoted;
            return UnsafePathReason.ReservedName;
        }

        return UnsafePathReason.None;
    }

    /// <summary>Windows maps these names to devices in every directory, with any extension ("nul.txt") and trailing spaces.</summary>
    internal static bool IsReservedDeviceName(string name)
    {
        ReadOnlySpan<char> stem = name.AsSpan();
        int dot = stem.IndexOf('.');
        if (dot >= 0)
        {
            stem = stem[..dot];
        }

        stem = stem.TrimEnd(' ');
        foreach (string reserved in ReservedBaseNames)
        {
            if (stem.Equals(reserved, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        if (stem.Length == 4
            && (stem[..3].Equals("COM", StringComparison.OrdinalIgnoreCase) || stem[..3].Equals("LPT", StringComparison.OrdinalIgnoreCase)))
        {
            // Digits 0-9 and the superscripts 1, 2, 3 (U+00B9, U+00B2, U+00B3), which Windows also maps to ports.
            return stem[3] is (>= '0' and <= '9') or '\u00B9' or '\u00B2' or '\u00B3';
        }

        return false;
    }

    private string[] SplitInput(string input) =>
        _backslashIsSeparator ? input.Split(['/', '\\']) : input.Split('/');

    private static string[] SplitNative(string path) =>
        OperatingSystem.IsWindows() ? path.Split(['/', '\\']) : path.Split('/');

    private static string WithSeparator(string path) =>
        Path.EndsInDirectorySeparator(path) ? path : path + Path.DirectorySeparatorChar;
}
