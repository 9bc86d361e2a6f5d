using Microsoft.Extensions.Time.Testing;
using Orchestrator.Master.ExternalAuth;
using Orchestrator.Master.Hosting;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.ExternalAuth;

public sealed class TokenStoreTests : IDisposable
{
    private static readonly EauthIdentity Alice = new("alice", "pam", ["ops", "users"]);
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-03-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly CollectingLogger<TokenStore> _log = new();

    public void Dispose() => _dir.Dispose();

    private string TokenDir => Path.Combine(_dir.Path, "tokens");

    private TokenStore Store(bool keepAcl = false, long expire = 600) => new(
        new MasterOptions
        {
            CacheDir = _dir.Path,
            Eauth = EauthOptions.FromConfig(
                new Dictionary<string, object?> { ["token_expire"] = expire, ["keep_acl_in_token"] = keepAcl }, "master"),
        },
        _time, _log);

    [Fact]
    public void Create_ThenFind_ReturnsTheRecord()
    {
        var store = Store();
        var token = store.Create(Alice, ["test.*"]);
        Assert.Matches("^[0-9a-f]{64}$", token.Token);
        Assert.Equal(token.Start + 600, token.Expire);
        Assert.Null(token.Perms);
        var found = store.Find(token.Token)!;
        Assert.Equal(("alice", "pam", token.Start, token.Expire), (found.Name, found.Eauth, found.Start, found.Expire));
        Assert.Equal(["ops", "users"], found.Groups);
    }

    [Fact]
    public void Create_TokensDiffer()
    {
        var store = Store();
        Assert.NotEqual(store.Create(Alice, []).Token, store.Create(Alice, []).Token);
    }

    [Fact]
    public void KeepAclInToken_StoresThePermissions()
    {
        var store = Store(keepAcl: true);
        var token = store.Create(Alice, ["test.*", new Dictionary<string, object?> { ["web*"] = new List<object?> { "state.apply" } }]);
        var found = store.Find(token.Token)!;
        Assert.NotNull(found.Perms);
        Assert.Equal("test.*", found.Perms[0]);
        var entry = Assert.IsType<Dictionary<string, object?>>(found.Perms[1]);
        Assert.Equal(["state.apply"], Assert.IsType<List<object?>>(entry["web*"]));
    }

    [Fact]
    public void Find_AfterExpiry_NullAndFileDeleted()
    {
        var store = Store();
        var token = store.Create(Alice, []);
        _time.Advance(TimeSpan.FromSeconds(599));
        Assert.NotNull(store.Find(token.Token));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(store.Find(token.Token));
        Assert.Empty(Directory.GetFiles(TokenDir));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("../../etc/passwd")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Find_MalformedOrForged_Null(string token)
    {
        var store = Store();
        store.Create(Alice, []);
        Assert.Null(store.Find(token));
        Assert.False(store.Remove(token));
    }

    [Fact]
    public void Find_TokenWithOneCharacterChanged_Null()
    {
        var store = Store();
        var token = store.Create(Alice, []).Token;
        var forged = (token[0] == 'a' ? 'b' : 'a') + token[1..];
        Assert.Null(store.Find(forged));
    }

    [Fact]
    public void Find_CorruptFile_NullAndRemoved()
    {
        var store = Store();
        var token = store.Create(Alice, []).Token;
        var file = Assert.Single(Directory.GetFiles(TokenDir));
        File.WriteAllText(file, "{not json");
        Assert.Null(store.Find(token));
        Assert.False(File.Exists(file));
        Assert.NotEmpty(_log.WithId(1505));
    }

    [Fact]
    public void Tokens_SurviveARestart()
    {
        var token = Store().Create(Alice, []).Token;
        Assert.Equal("alice", Store().Find(token)?.Name);
    }

    [Fact]
    public void Remove_ThenFind_Null()
    {
        var store = Store();
        var token = store.Create(Alice, []).Token;
        Assert.True(store.Remove(token));
        Assert.Null(store.Find(token));
        Assert.False(store.Remove(token));
    }

    [Fact]
    public void Files_ArePrivateAndNamedByHash()
    {
        var token = Store().Create(Alice, []).Token;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(TokenDir));
        var file = Assert.Single(Directory.GetFiles(TokenDir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.DoesNotContain(token, Path.GetFileName(file), StringComparison.Ordinal);
        Assert.DoesNotContain(token, File.ReadAllText(file), StringComparison.Ordinal);
    }

    [Fact]
    public void Logs_NeverHoldTheToken()
    {
        var store = Store();
        var token = store.Create(Alice, []).Token;
        store.Find(token);
        _time.Advance(TimeSpan.FromHours(1));
        store.Find(token);
        Assert.NotEmpty(_log.Entries);
        Assert.DoesNotContain(_log.Entries, e => e.Message.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public void RemoveExpired_DeletesOnlyExpiredTokens()
    {
        var store = Store();
        var old = store.Create(Alice, []).Token;
        _time.Advance(TimeSpan.FromSeconds(300));
        var fresh = store.Create(Alice, []).Token;
        _time.Advance(TimeSpan.FromSeconds(301));
        Assert.Equal(1, store.RemoveExpired());
        Assert.Null(store.Find(old));
        Assert.NotNull(store.Find(fresh));
    }
}
