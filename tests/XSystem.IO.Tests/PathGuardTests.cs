using XSystem.IO.Tests.Infrastructure;

namespace XSystem.IO.Tests;

/// <summary>
/// A sandbox shared by the PathGuard tests:
/// <code>
/// base/
///   outside/secret.txt
///   root/                       the guard's root
///     docs/readme.txt
///     docs/dotlink -> ../nested  (relative, stays inside)
///     nested/a/b/
///     link_in   -> root/docs     (absolute, inside)
///     abs_in    -> root/docs     (absolute, inside)
///     chainok1  -> chainok2 -> docs
///     chain1    -> chain2 -> base/outside   (inside -> inside -> outside)
///     out_dir   -> ../outside               (relative, escapes)
///     passwd_link -> base/outside/secret.txt
///     dangling_out -> base/outside/not-yet-created
///     up_link   -> ..
///     loop1 -> loop2 -> loop1
/// </code>
/// </summary>
public sealed class PathGuardFixture : IDisposable
{
    private readonly PathsTempDir _temp = new("xsys-guard-");

    public PathGuardFixture()
    {
        Outside = _temp.CreateDirectory("outside");
        File.WriteAllText(Path.Combine(Outside, "secret.txt"), "secret");
        Root = _temp.CreateDirectory("root");
        string docs = Directory.CreateDirectory(Path.Combine(Root, "docs")).FullName;
        File.WriteAllText(Path.Combine(docs, "readme.txt"), "hello");
        Directory.CreateDirectory(Path.Combine(Root, "nested", "a", "b"));
        Directory.CreateSymbolicLink(Path.Combine(docs, "dotlink"), "../nested");
        Directory.CreateSymbolicLink(Path.Combine(Root, "link_in"), docs);
        Directory.CreateSymbolicLink(Path.Combine(Root, "abs_in"), docs);
        Directory.CreateSymbolicLink(Path.Combine(Root, "chainok2"), "docs");
        Directory.CreateSymbolicLink(Path.Combine(Root, "chainok1"), "chainok2");
        Directory.CreateSymbolicLink(Path.Combine(Root, "chain2"), Outside);
        Directory.CreateSymbolicLink(Path.Combine(Root, "chain1"), "chain2");
        Directory.CreateSymbolicLink(Path.Combine(Root, "out_dir"), "../outside");
        File.CreateSymbolicLink(Path.Combine(Root, "passwd_link"), Path.Combine(Outside, "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(Root, "dangling_out"), Path.Combine(Outside, "not-yet-created"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "up_link"), "..");
        File.CreateSymbolicLink(Path.Combine(Root, "loop1"), "loop2");
        File.CreateSymbolicLink(Path.Combine(Root, "loop2"), "loop1");
        Guard = new PathGuard(Root);
    }

    public string Root { get; }

    public string Outside { get; }

    public PathGuard Guard { get; }

    public string Expand(string input) => input.Replace("{root}", Root, StringComparison.Ordinal).Replace("{outside}", Outside, StringComparison.Ordinal);

    public void Dispose() => _temp.Dispose();
}

public sealed class PathGuardTests(PathGuardFixture fixture) : IClassFixture<PathGuardFixture>
{
    private static readonly string LongName = new('n', 300);
    private static readonly string LongUtf8Name = new('é', 200); // 200 chars, 400 UTF-8 bytes
    private static readonly string LongTotal = string.Join('/', Enumerable.Repeat(new string('d', 250), 20));

    /// <summary>Input, expected verdict, and for accepted input the expected path relative to the root ("" = the root).</summary>
    public static TheoryData<string, UnsafePathReason, string?> Table() => new()
    {
        // Benign names the Python original wrongly rejected, and ordinary nesting.
        { "docs/readme.txt", UnsafePathReason.None, "docs/readme.txt" },
        { "a (1).txt", UnsafePathReason.None, "a (1).txt" },
        { "$notes", UnsafePathReason.None, "$notes" },
        { "~draft", UnsafePathReason.None, "~draft" },
        { ".hidden", UnsafePathReason.None, ".hidden" },
        { "...hidden", UnsafePathReason.None, "...hidden" },
        { "R&D; notes (final)", UnsafePathReason.None, "R&D; notes (final)" },
        { "名前/文件.txt", UnsafePathReason.None, "名前/文件.txt" },
        { "naïve café.txt", UnsafePathReason.None, "naïve café.txt" },
        { "emoji-😀.txt", UnsafePathReason.None, "emoji-😀.txt" },
        { "with space/file name.txt", UnsafePathReason.None, "with space/file name.txt" },
        { "nested/a/b/new.txt", UnsafePathReason.None, "nested/a/b/new.txt" },
        { "new-dir/deeper/file.txt", UnsafePathReason.None, "new-dir/deeper/file.txt" },
        { "a/../b", UnsafePathReason.None, "b" },
        { "nested/a/../../docs", UnsafePathReason.None, "docs" },
        { "./docs/./readme.txt", UnsafePathReason.None, "docs/readme.txt" },
        { "docs//readme.txt", UnsafePathReason.None, "docs/readme.txt" },
        { ".", UnsafePathReason.None, "" },
        { "docs/", UnsafePathReason.None, "docs" },

        // Percent-encoding is not decoded: these are literal, harmless names inside the root.
        { "%2e%2e/%2e%2e/etc/passwd", UnsafePathReason.None, "%2e%2e/%2e%2e/etc/passwd" },
        { "%2e%2e%2f%2e%2e%2fetc", UnsafePathReason.None, "%2e%2e%2f%2e%2e%2fetc" },
        { "..%2fsecret", UnsafePathReason.None, "..%2fsecret" },

        // Symbolic links that stay inside resolve to their canonical target.
        { "link_in/readme.txt", UnsafePathReason.None, "docs/readme.txt" },
        { "abs_in/readme.txt", UnsafePathReason.None, "docs/readme.txt" },
        { "chainok1/readme.txt", UnsafePathReason.None, "docs/readme.txt" },
        { "docs/dotlink/a/b", UnsafePathReason.None, "nested/a/b" },

        // Absolute paths inside the root are fine.
        { "{root}/docs/readme.txt", UnsafePathReason.None, "docs/readme.txt" },
        { "{root}", UnsafePathReason.None, "" },
        { "{root}/nested/../docs/new.txt", UnsafePathReason.None, "docs/new.txt" },

        // Traversal.
        { "..", UnsafePathReason.Traversal, null },
        { "../outside/secret.txt", UnsafePathReason.Traversal, null },
        { "docs/../../outside/secret.txt", UnsafePathReason.Traversal, null },
        { "a/b/../../../x", UnsafePathReason.Traversal, null },
        { "..\\..\\etc\\passwd", UnsafePathReason.Traversal, null },
        { "docs\\..\\..\\x", UnsafePathReason.Traversal, null },

        // Absolute paths elsewhere.
        { "/etc/passwd", UnsafePathReason.OutsideRoot, null },
        { "{outside}/secret.txt", UnsafePathReason.OutsideRoot, null },
        { "{root}/../outside/secret.txt", UnsafePathReason.OutsideRoot, null },
        { "\\etc\\passwd", UnsafePathReason.OutsideRoot, null },

        // Symbolic links that lead outside, at any level.
        { "chain1/secret.txt", UnsafePathReason.SymlinkEscape, null },
        { "chain1", UnsafePathReason.SymlinkEscape, null },
        { "out_dir/secret.txt", UnsafePathReason.SymlinkEscape, null },
        { "out_dir/new/deeper.txt", UnsafePathReason.SymlinkEscape, null },
        { "passwd_link", UnsafePathReason.SymlinkEscape, null },
        { "dangling_out", UnsafePathReason.SymlinkEscape, null },
        { "up_link/outside/secret.txt", UnsafePathReason.SymlinkEscape, null },
        { "up_link/root/docs", UnsafePathReason.SymlinkEscape, null },
        { "{root}/chain1/secret.txt", UnsafePathReason.SymlinkEscape, null },
        { "loop1/x", UnsafePathReason.SymlinkLoop, null },

        // Windows device names, alternate data streams, trailing dots and spaces (PortableNames is on by default).
        { "nul.txt", UnsafePathReason.ReservedName, null },
        { "NUL", UnsafePathReason.ReservedName, null },
        { "COM1", UnsafePathReason.ReservedName, null },
        { "docs/con", UnsafePathReason.ReservedName, null },
        { "LPT9.log", UnsafePathReason.ReservedName, null },
        { "com0.tar.gz", UnsafePathReason.ReservedName, null },
        { "COM\u00B9", UnsafePathReason.ReservedName, null },
        { "lpt\u00B3.txt", UnsafePathReason.ReservedName, null },
        { "aux .txt", UnsafePathReason.ReservedName, null },
        { "CONOUT$", UnsafePathReason.ReservedName, null },
        { "a.txt:zone", UnsafePathReason.AlternateDataStream, null },
        { "docs/readme.txt::$DATA", UnsafePathReason.AlternateDataStream, null },
        { "C:\\Windows\\win.ini", OperatingSystem.IsWindows() ? UnsafePathReason.OutsideRoot : UnsafePathReason.AlternateDataStream, null },
        { "trailing.", UnsafePathReason.TrailingDotOrSpace, null },
        { "trailing ", UnsafePathReason.TrailingDotOrSpace, null },
        { "...", UnsafePathReason.TrailingDotOrSpace, null },
        { "what?.txt", UnsafePathReason.InvalidCharacter, null },
        { "a<b>|c", UnsafePathReason.InvalidCharacter, null },

        // Control characters.
        { "a\0b", UnsafePathReason.InvalidCharacter, null },
        { "docs/readme.txt\0.png", UnsafePathReason.InvalidCharacter, null },
        { "a\nb", UnsafePathReason.InvalidCharacter, null },
        { "tab\there", UnsafePathReason.InvalidCharacter, null },
        { "del\u007F", UnsafePathReason.InvalidCharacter, null },
        { "unit\u001Fsep", UnsafePathReason.InvalidCharacter, null },

        // Lengths.
        { LongName, UnsafePathReason.ComponentTooLong, null },
        { "docs/" + LongUtf8Name, UnsafePathReason.ComponentTooLong, null },
        { LongTotal, UnsafePathReason.PathTooLong, null },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void TryResolve_Table_GivesExpectedVerdict(string input, UnsafePathReason expected, string? expectedRelative)
    {
        string untrusted = fixture.Expand(input);

        bool ok = fixture.Guard.TryResolve(untrusted, out string? path, out UnsafePathReason reason);

        reason.ShouldBe(expected, $"input: {input}");
        ok.ShouldBe(expected == UnsafePathReason.None);
        if (expectedRelative is null)
        {
            path.ShouldBeNull();
        }
        else
        {
            string canonicalRoot = fixture.Guard.Root;
            string expectedPath = expectedRelative.Length == 0
                ? canonicalRoot
                : Path.Combine(canonicalRoot, expectedRelative.Replace('/', Path.DirectorySeparatorChar));
            path.ShouldBe(expectedPath);
        }
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Resolve_Table_ThrowsExactlyWhenRejected(string input, UnsafePathReason expected, string? expectedRelative)
    {
        string untrusted = fixture.Expand(input);

        if (expected == UnsafePathReason.None)
        {
            string path = fixture.Guard.Resolve(untrusted);
            path.ShouldStartWith(fixture.Guard.Root);
            expectedRelative.ShouldNotBeNull();
        }
        else
        {
            UnsafePathException ex = Should.Throw<UnsafePathException>(() => fixture.Guard.Resolve(untrusted));
            ex.Reason.ShouldBe(expected);
            ex.UntrustedPath.ShouldBe(untrusted);
            ex.Root.ShouldBe(fixture.Guard.Root);
            ex.Message.ShouldContain(expected.ToString());
        }
    }

    [Fact]
    public void Table_HasAtLeastFortyHostileAndBenignCases()
    {
        TheoryData<string, UnsafePathReason, string?> table = Table();

        table.Count.ShouldBeGreaterThanOrEqualTo(40);
        table.Count(row => (UnsafePathReason)row.Data.Item2 == UnsafePathReason.None).ShouldBeGreaterThan(15);
        table.Count(row => (UnsafePathReason)row.Data.Item2 != UnsafePathReason.None).ShouldBeGreaterThan(30);
    }

    [Fact]
    public void UnsafePathException_IsAnUnauthorizedAccessException()
    {
        Exception ex = Should.Throw<Exception>(() => fixture.Guard.Resolve("../x"));

        ex.ShouldBeAssignableTo<UnauthorizedAccessException>();
        ex.Message.ShouldContain("'../x'");
        ex.Message.ShouldContain(fixture.Guard.Root);
    }

    [Fact]
    public void Resolve_ControlCharacterInInput_MessageEscapesIt()
    {
        UnsafePathException ex = Should.Throw<UnsafePathException>(() => fixture.Guard.Resolve("evil\nline"));

        ex.Message.ShouldContain("evil\\u000Aline");
        ex.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void Resolve_EmptyInput_ThrowsArgumentException()
    {
        Should.Throw<ArgumentException>(() => fixture.Guard.Resolve(string.Empty));
        Should.Throw<ArgumentException>(() => fixture.Guard.TryResolve(string.Empty, out _));
    }

    [Fact]
    public void Resolve_NullInput_ThrowsArgumentNullException() =>
        Should.Throw<ArgumentNullException>(() => fixture.Guard.Resolve(null!));

    [Fact]
    public void TryResolve_TwoArgumentOverload_MatchesThreeArgumentOverload()
    {
        fixture.Guard.TryResolve("docs/readme.txt", out string? good).ShouldBeTrue();
        fixture.Guard.TryResolve("../x", out string? bad).ShouldBeFalse();

        good.ShouldBe(Path.Combine(fixture.Guard.Root, "docs", "readme.txt"));
        bad.ShouldBeNull();
    }

    [Fact]
    public void Constructor_MissingRoot_ThrowsDirectoryNotFound()
    {
        string missing = Path.Combine(fixture.Root, "does-not-exist");

        DirectoryNotFoundException ex = Should.Throw<DirectoryNotFoundException>(() => new PathGuard(missing));

        ex.Message.ShouldContain(missing);
    }

    [Fact]
    public void Constructor_RootGivenThroughSymlink_RootIsCanonical()
    {
        var guard = new PathGuard(Path.Combine(fixture.Root, "link_in"));

        guard.Root.ShouldBe(Path.Combine(fixture.Guard.Root, "docs"));
        guard.Resolve("readme.txt").ShouldBe(Path.Combine(fixture.Guard.Root, "docs", "readme.txt"));
        guard.Resolve(Path.Combine(fixture.Root, "link_in", "readme.txt")).ShouldBe(Path.Combine(fixture.Guard.Root, "docs", "readme.txt"));
        guard.TryResolve("../nested", out _, out UnsafePathReason reason).ShouldBeFalse();
        reason.ShouldBe(UnsafePathReason.Traversal);
    }

    [Fact]
    public void Constructor_BadOptions_Throw()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new PathGuard(fixture.Root, new PathGuardOptions { MaxPathLength = 0 }));
        Should.Throw<ArgumentOutOfRangeException>(() => new PathGuard(fixture.Root, new PathGuardOptions { MaxComponentLength = 0 }));
    }

    [Fact]
    public void Resolve_ResolvedPathLongerThanLimit_PathTooLong()
    {
        // The input fits the limit, but root + input does not.
        int limit = fixture.Guard.Root.Length + 10;
        var guard = new PathGuard(fixture.Root, new PathGuardOptions { MaxPathLength = limit });

        guard.TryResolve("abc", out _, out UnsafePathReason shortReason).ShouldBeTrue();
        guard.TryResolve("abcdefgh/ijk", out _, out UnsafePathReason longReason).ShouldBeFalse();

        shortReason.ShouldBe(UnsafePathReason.None);
        longReason.ShouldBe(UnsafePathReason.PathTooLong);
    }

    [Fact]
    public void Resolve_ComponentLimitCountsUtf8Bytes()
    {
        var guard = new PathGuard(fixture.Root, new PathGuardOptions { MaxComponentLength = 10 });

        guard.TryResolve("ééééé", out _).ShouldBeTrue(); // 10 bytes
        guard.TryResolve("éééééé", out _, out UnsafePathReason reason).ShouldBeFalse(); // 12 bytes

        reason.ShouldBe(UnsafePathReason.ComponentTooLong);
    }

    [Theory]
    [InlineData("nul.txt", "nul.txt")]
    [InlineData("a.txt:zone", "a.txt:zone")]
    [InlineData("trailing.", "trailing.")]
    [InlineData("what?.txt", "what?.txt")]
    [InlineData("..\\..\\etc", "..\\..\\etc")]
    [InlineData("dir\\file", "dir\\file")]
    public void Resolve_PortableNamesOffOnUnix_AcceptsNamesLegalHere(string input, string expectedName)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Windows always applies the portable rules.");
        var guard = new PathGuard(fixture.Root, new PathGuardOptions { PortableNames = false });

        string path = guard.Resolve(input);

        path.ShouldBe(Path.Combine(guard.Root, expectedName));
        guard.PortableNames.ShouldBeFalse();
    }

    [Theory]
    [InlineData("../x", UnsafePathReason.Traversal)]
    [InlineData("a\0b", UnsafePathReason.InvalidCharacter)]
    [InlineData("chain1/secret.txt", UnsafePathReason.SymlinkEscape)]
    [InlineData("/etc/passwd", UnsafePathReason.OutsideRoot)]
    public void Resolve_PortableNamesOff_StillRejectsEscapes(string input, UnsafePathReason expected)
    {
        var guard = new PathGuard(fixture.Root, new PathGuardOptions { PortableNames = false });

        guard.TryResolve(input, out _, out UnsafePathReason reason).ShouldBeFalse();

        reason.ShouldBe(expected);
    }

    [Fact]
    public void Resolve_SymlinkSwappedToOutside_RejectedOnTheNextCall()
    {
        using var temp = new PathsTempDir("xsys-guard-swap-");
        string root = temp.CreateDirectory("root");
        string inside = temp.CreateDirectory("root", "real");
        string outside = temp.CreateDirectory("elsewhere");
        string link = Path.Combine(root, "data");
        Directory.CreateSymbolicLink(link, inside);
        var guard = new PathGuard(root);
        guard.TryResolve("data/file", out _).ShouldBeTrue();

        Directory.Delete(link);
        Directory.CreateSymbolicLink(link, outside);

        guard.TryResolve("data/file", out _, out UnsafePathReason reason).ShouldBeFalse();
        reason.ShouldBe(UnsafePathReason.SymlinkEscape);
    }

    [Theory]
    [InlineData("CON", true)]
    [InlineData("con.txt", true)]
    [InlineData("Com9", true)]
    [InlineData("COM10", false)]
    [InlineData("CONSOLE", false)]
    [InlineData("nul-ish", false)]
    [InlineData("LPT", false)]
    [InlineData("conin$.log", true)]
    public void IsReservedDeviceName_KnownNames(string name, bool expected) =>
        PathGuard.IsReservedDeviceName(name).ShouldBe(expected);
}
