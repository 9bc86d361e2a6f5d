using Orchestrator.Testing;
using Orchestrator.Master.ExternalAuth;
using Orchestrator.Shared.Data;

namespace Orchestrator.Integration.Tests.ExternalAuth;

/// <summary>
/// Scenario: the pam eauth against the host's real PAM stack (service login, pam_unix) with a user made by useradd and a
/// password set by chpasswd: the right password authenticates and brings the user's system groups, a wrong one and an
/// unknown user are refused, and the password never reaches the log.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class PamEauthTests
{
    private static ExternalAuthenticator Authenticator(string yaml, CollectingLogger<ExternalAuthenticator> log) =>
        new(EauthOptions.FromConfig((Dictionary<string, object?>)DataTree.Normalize(PyYaml.Load(yaml))!, "master"), log);

    [RootFact]
    public async Task Pam_RealUser_RightPasswordOnly_WithSystemGroups()
    {
        using var user = new SystemTestUser();
        var group = user.JoinNewGroup();
        var log = new CollectingLogger<ExternalAuthenticator>();
        var auth = Authenticator($$"""
            external_auth:
              pam:
                {{user.Name}}: ['test.*']
                '{{group}}%': [{'web*': ['state.apply']}]
            """, log);

        var who = await auth.AuthenticateAsync("pam", user.Name, user.Password, CancellationToken.None);

        Assert.NotNull(who);
        Assert.Equal(user.Name, who.Name);
        Assert.Contains(group, who.Groups);
        Assert.Contains(user.Name, who.Groups); // the primary group useradd made
        var perms = auth.PermissionsFor(who);
        Assert.Equal("test.*", perms[0]);
        Assert.IsType<Dictionary<string, object?>>(perms[1]);

        Assert.Null(await auth.AuthenticateAsync("pam", user.Name, user.Password + "x", CancellationToken.None));
        Assert.Null(await auth.AuthenticateAsync("pam", user.Name + "nope", user.Password, CancellationToken.None));
        Assert.Contains(log.WithId(1501), m => m.Contains(user.Name, StringComparison.Ordinal));
        Assert.DoesNotContain(log.Entries, e => e.Message.Contains(user.Password, StringComparison.Ordinal));
    }
}
