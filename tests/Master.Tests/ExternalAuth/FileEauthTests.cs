using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Master.ExternalAuth;
using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.ExternalAuth;

public sealed class FileEauthTests : IDisposable
{
    private const string Password = "S3cret-horse-battery";
    private readonly TempDir _dir = new();
    private readonly CollectingLogger<ExternalAuthenticator> _log = new();

    public void Dispose() => _dir.Dispose();

    private static string OpenSsl(params string[] args)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }

    private ExternalAuthenticator Authenticator(string contents, string settings)
    {
        var file = _dir.Combine("users");
        File.WriteAllText(file, contents);
        var yaml = $"file:\n  ^filename: {file}\n{settings}  alice: ['.*']\n";
        var config = new Dictionary<string, object?>(StringComparer.Ordinal) { ["external_auth"] = DataTree.Normalize(PyYaml.Load(yaml)) };
        return new ExternalAuthenticator(EauthOptions.FromConfig(config, "master"), _log);
    }

    private Task<EauthIdentity?> Login(ExternalAuthenticator auth, string user, string password) =>
        auth.AuthenticateAsync("file", user, password, CancellationToken.None);

    public static TheoryData<string> HashKinds => ["sha256-crypt", "sha512-crypt", "apr1", "bcrypt-2b", "bcrypt-2y", "ldap-sha"];

    private static string Hash(string kind, string password) => kind switch
    {
        "sha256-crypt" => OpenSsl("passwd", "-5", password),
        "sha512-crypt" => OpenSsl("passwd", "-6", password),
        "apr1" => OpenSsl("passwd", "-apr1", password),
        "bcrypt-2b" => LibCrypt.Hash(password, LibCrypt.MakeSetting("$2b$", 5))!,
        "bcrypt-2y" => "$2y$" + LibCrypt.Hash(password, LibCrypt.MakeSetting("$2b$", 5))![4..],
        _ => "{SHA}" + Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(password))),
    };

    [Theory]
    [MemberData(nameof(HashKinds))]
    public async Task Htpasswd_EachHashKind_RightPasswordOnly(string kind)
    {
        var auth = Authenticator($"bob:{Hash("sha512-crypt", "other")}\nalice:{Hash(kind, Password)}\n", "  ^filetype: htpasswd\n");
        var who = await Login(auth, "alice", Password);
        Assert.NotNull(who);
        Assert.Equal(new EauthIdentity("alice", "file", []), who with { Groups = [] });
        Assert.Null(await Login(auth, "alice", Password + "x"));
        Assert.Null(await Login(auth, "alice", "other"));
    }

    [Fact]
    public void Apr1_MatchesOpenSsl() =>
        Assert.Equal(OpenSsl("passwd", "-apr1", "-salt", "xyz", Password), PasswordHash.Apr1(Password, "$apr1$xyz$"));

    [Fact]
    public async Task Htpasswd_PlainTextEntry_IsRefused()
    {
        var auth = Authenticator($"alice:{Password}\n", "  ^filetype: htpasswd\n");
        Assert.Null(await Login(auth, "alice", Password));
    }

    [Fact]
    public async Task Htpasswd_UnknownUser_Refused()
    {
        var auth = Authenticator($"alice:{Hash("sha256-crypt", Password)}\n", "  ^filetype: htpasswd\n");
        Assert.Null(await Login(auth, "mallory", Password));
        Assert.Contains(_log.WithId(1501), m => m.Contains("mallory", StringComparison.Ordinal) && m.Contains("no such user", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Text_PlainPasswords_AsSalt()
    {
        var auth = Authenticator($"dean:goneFishing\nalice:{Password}\n", "");
        Assert.NotNull(await Login(auth, "alice", Password));
        Assert.NotNull(await Login(auth, "dean", "goneFishing"));
        Assert.Null(await Login(auth, "dean", "goneFishin"));
    }

    [Fact]
    public async Task Text_HashedWithCustomFields()
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Password)));
        var auth = Authenticator($"46|alice|{digest}\n555|mike|00\n",
            "  ^hashtype: sha256\n  ^username_field: 2\n  ^password_field: 3\n  ^field_separator: '|'\n");
        Assert.NotNull(await Login(auth, "alice", Password));
        Assert.Null(await Login(auth, "mike", Password));
    }

    [Fact]
    public async Task Htdigest_RealmMustMatch()
    {
        var digest = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes($"alice:Ops:{Password}")));
        var auth = Authenticator($"alice:Ops:{digest}\n", "  ^filetype: htdigest\n  ^realm: Ops\n");
        Assert.NotNull(await Login(auth, "alice", Password));
        var other = Authenticator($"alice:Dev:{digest}\n", "  ^filetype: htdigest\n  ^realm: Ops\n");
        Assert.Null(await Login(other, "alice", Password));
    }

    [Fact]
    public async Task MissingFile_IsARefusalLogged()
    {
        var auth = Authenticator("", "  ^filetype: htpasswd\n");
        File.Delete(_dir.Combine("users"));
        Assert.Null(await Login(auth, "alice", Password));
        Assert.Contains(_log.WithId(1501), m => m.Contains("cannot read", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("file", "alice", "")]
    [InlineData("pam", "alice", Password)]
    [InlineData("ldap", "alice", Password)]
    [InlineData("file", "", Password)]
    [InlineData("file", "al:ice", Password)]
    public async Task BadRequest_IsRefusedNeverThrown(string eauth, string user, string password)
    {
        var auth = Authenticator($"alice:{Password}\n", "");
        Assert.Null(await auth.AuthenticateAsync(eauth, user, password, CancellationToken.None));
        Assert.NotEmpty(_log.WithId(1501));
    }

    [Fact]
    public async Task Logs_NeverHoldThePassword()
    {
        var auth = Authenticator($"alice:{Hash("sha256-crypt", Password)}\n", "  ^filetype: htpasswd\n");
        await Login(auth, "alice", Password);
        await Login(auth, "alice", Password + "wrong");
        await Login(auth, "nobody", Password);
        Assert.True(_log.Entries.Count >= 3);
        Assert.DoesNotContain(_log.Entries, e => e.Message.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public void PermissionsFor_FileUserHasNoGroups()
    {
        var auth = Authenticator("", "");
        Assert.Equal([".*"], auth.PermissionsFor(new EauthIdentity("alice", "file", [])));
        Assert.Empty(auth.PermissionsFor(new EauthIdentity("alice", "pam", [])));
    }
}
