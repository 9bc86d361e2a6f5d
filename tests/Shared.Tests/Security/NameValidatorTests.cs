using Orchestrator.Shared.Security;
using Orchestrator.Testing;

namespace Orchestrator.Shared.Tests.Security;

public class NameValidatorTests : IDisposable
{
    private readonly TempDir _dir = Some.TempDir();

    public void Dispose() => _dir.Dispose();

    private string Root
    {
        get
        {
            var root = _dir.Combine("root");
            Directory.CreateDirectory(root);
            return root;
        }
    }

    [Theory]
    [InlineData("web1")]
    [InlineData("web-1.example.com")]
    [InlineData("db_01")]
    [InlineData("a")]
    [InlineData("sübdomain")]
    public void CheckMinionId_SafeId_ReturnsNull(string id)
    {
        Assert.Null(NameValidator.CheckMinionId(id));
        Assert.True(NameValidator.IsValidMinionId(id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a..b")]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a\0b")]
    [InlineData("a\nb")]
    [InlineData("a\u001bb")]
    [InlineData("a b")]
    [InlineData("\u007f")]
    public void CheckMinionId_UnsafeId_ReturnsReason(string? id)
    {
        Assert.NotNull(NameValidator.CheckMinionId(id));
        Assert.False(NameValidator.IsValidMinionId(id));
    }

    [Fact]
    public void CheckMinionId_MaxLength_AcceptsAndOneMoreRefuses()
    {
        Assert.Null(NameValidator.CheckMinionId(new string('a', NameValidator.MaxIdLength)));
        Assert.Contains("longer than 255", NameValidator.CheckMinionId(new string('a', NameValidator.MaxIdLength + 1)));
    }

    [Fact]
    public void CheckMinionId_ControlCharacter_MessageIsPrintable()
    {
        var reason = NameValidator.CheckMinionId("bad\u001b[31mid");

        Assert.DoesNotContain('\u001b', reason!);
    }

    [Theory]
    [InlineData("top.sls", "top.sls")]
    [InlineData("a/b/c.txt", "a/b/c.txt")]
    [InlineData("a/./b", "a/b")]
    public void ResolveUnder_RelativePath_ReturnsFullPathUnderRoot(string relative, string expected)
    {
        Assert.Equal(Path.Combine(Root, expected), NameValidator.ResolveUnder(Root, relative));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../secret")]
    [InlineData("a/../../secret")]
    [InlineData("a/../b")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\..\\b")]
    [InlineData("a\0b")]
    public void ResolveUnder_EscapingPath_ReturnsNull(string relative)
    {
        Assert.Null(NameValidator.ResolveUnder(Root, relative));
    }

    [Fact]
    public void ResolveUnder_SiblingWithRootAsPrefix_ReturnsNull()
    {
        // root "…/root" must not admit "…/root-other" through a plain prefix test.
        Directory.CreateDirectory(_dir.Combine("root-other"));
        File.CreateSymbolicLink(Path.Combine(Root, "link"), _dir.Combine("root-other"));

        Assert.Null(NameValidator.ResolveUnder(Root, "link"));
    }

    [Fact]
    public void ResolveUnder_FileSymlinkOutsideRoot_ReturnsNull()
    {
        File.WriteAllText(_dir.Combine("secret"), "s");
        File.CreateSymbolicLink(Path.Combine(Root, "leak"), _dir.Combine("secret"));

        Assert.Null(NameValidator.ResolveUnder(Root, "leak"));
    }

    [Fact]
    public void ResolveUnder_DirectorySymlinkOutsideRootInMiddleOfPath_ReturnsNull()
    {
        Directory.CreateDirectory(_dir.Combine("outside"));
        File.WriteAllText(_dir.Combine("outside", "secret"), "s");
        Directory.CreateSymbolicLink(Path.Combine(Root, "dir"), _dir.Combine("outside"));

        Assert.Null(NameValidator.ResolveUnder(Root, "dir/secret"));
    }

    [Fact]
    public void ResolveUnder_DirectorySymlinkOutsideRoot_ReturnsNull()
    {
        Directory.CreateDirectory(_dir.Combine("outside"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "dir"), _dir.Combine("outside"));

        Assert.Null(NameValidator.ResolveUnder(Root, "dir"));
    }

    [Fact]
    public void ResolveUnder_DanglingSymlinkOutsideRoot_ReturnsNull()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "dangling"), _dir.Combine("not-yet"));

        Assert.Null(NameValidator.ResolveUnder(Root, "dangling"));
    }

    [Fact]
    public void ResolveUnder_SymlinkChainLeavingRoot_ReturnsNull()
    {
        File.WriteAllText(_dir.Combine("secret"), "s");
        File.CreateSymbolicLink(Path.Combine(Root, "second"), _dir.Combine("secret"));
        File.CreateSymbolicLink(Path.Combine(Root, "first"), Path.Combine(Root, "second"));

        Assert.Null(NameValidator.ResolveUnder(Root, "first"));
    }

    [Fact]
    public void ResolveUnder_SymlinkLoop_ReturnsNull()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "loop-a"), Path.Combine(Root, "loop-b"));
        File.CreateSymbolicLink(Path.Combine(Root, "loop-b"), Path.Combine(Root, "loop-a"));

        Assert.Null(NameValidator.ResolveUnder(Root, "loop-a"));
    }

    [Fact]
    public void ResolveUnder_SymlinkInsideRoot_IsAllowed()
    {
        Directory.CreateDirectory(Path.Combine(Root, "real"));
        File.WriteAllText(Path.Combine(Root, "real", "file"), "x");
        File.CreateSymbolicLink(Path.Combine(Root, "alias"), Path.Combine(Root, "real", "file"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "dir-alias"), "real");

        Assert.Equal(Path.Combine(Root, "alias"), NameValidator.ResolveUnder(Root, "alias"));
        Assert.Equal(Path.Combine(Root, "dir-alias", "file"), NameValidator.ResolveUnder(Root, "dir-alias/file"));
    }

    [Fact]
    public void ResolveUnder_RootItselfASymlink_AllowsFilesInside()
    {
        File.WriteAllText(Path.Combine(Root, "file"), "x");
        var linkedRoot = _dir.Combine("linked-root");
        Directory.CreateSymbolicLink(linkedRoot, Root);
        File.CreateSymbolicLink(Path.Combine(Root, "alias"), Path.Combine(Root, "file"));

        Assert.NotNull(NameValidator.ResolveUnder(linkedRoot, "file"));
        Assert.NotNull(NameValidator.ResolveUnder(linkedRoot, "alias"));
    }

    [Fact]
    public void ResolveUnder_NotYetExistingFile_ReturnsPath()
    {
        Assert.Equal(Path.Combine(Root, "new", "file"), NameValidator.ResolveUnder(Root, "new/file"));
    }
}
