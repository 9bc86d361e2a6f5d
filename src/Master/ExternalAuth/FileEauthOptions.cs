using Orchestrator.Shared.Config;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.ExternalAuth;

/// <summary>
/// The <c>file</c> eauth's own settings, the <c>^</c> keys under <c>external_auth: file:</c> as Salt 3006 spells them
/// (<c>^filename</c>, <c>^filetype</c>, <c>^hashtype</c>, <c>^field_separator</c>, <c>^username_field</c>,
/// <c>^password_field</c>, <c>^realm</c>).
/// </summary>
public sealed class FileEauthOptions
{
    /// <summary>The digests <c>^hashtype</c> may name for a <c>text</c> file (Salt's <c>hashutil.digest</c> ones we have).</summary>
    public static readonly IReadOnlyList<string> HashTypes = ["plaintext", "md5", "sha1", "sha256", "sha384", "sha512"];

    public string Filename { get; init; } = "";

    /// <summary><c>text</c>, <c>htpasswd</c> or <c>htdigest</c>.</summary>
    public string Filetype { get; init; } = "text";

    /// <summary>For <c>text</c>: <c>plaintext</c> or a hex digest name.</summary>
    public string Hashtype { get; init; } = "plaintext";

    public string FieldSeparator { get; init; } = ":";

    /// <summary>1-based field of the user name in a <c>text</c> line.</summary>
    public int UsernameField { get; init; } = 1;

    /// <summary>1-based field of the password in a <c>text</c> line.</summary>
    public int PasswordField { get; init; } = 2;

    /// <summary>The realm of an <c>htdigest</c> file.</summary>
    public string Realm { get; init; } = "";

    /// <summary>Reads the <c>^</c> keys of <c>external_auth: file:</c>; a missing <c>^filename</c> or a bad value fails naming it.</summary>
    public static FileEauthOptions FromConfig(IReadOnlyDictionary<string, object?> section, string path)
    {
        string Text(string key, string fallback) => section.GetValueOrDefault("^" + key) is { } value
            ? DataTree.KeyToString(value)
            : fallback;
        int Field(string key, int fallback) => section.GetValueOrDefault("^" + key) switch
        {
            null => fallback,
            long n when n is >= 1 and <= 1000 => (int)n,
            string s when int.TryParse(s, out var n) && n is >= 1 and <= 1000 => n,
            var other => throw new ConfigException($"{path}: invalid value for 'external_auth:file:^{key}': expected a field number from 1, got '{other}'"),
        };
        var filename = Text("filename", "");
        if (filename.Length == 0)
        {
            throw new ConfigException($"{path}: 'external_auth:file' needs '^filename', the file of users and passwords");
        }
        var filetype = Text("filetype", "text").ToLowerInvariant();
        if (filetype is not ("text" or "htpasswd" or "htdigest"))
        {
            throw new ConfigException($"{path}: invalid value for 'external_auth:file:^filetype': expected text, htpasswd or htdigest, got '{filetype}'");
        }
        var hashtype = Text("hashtype", "plaintext").ToLowerInvariant();
        if (!HashTypes.Contains(hashtype))
        {
            throw new ConfigException($"{path}: invalid value for 'external_auth:file:^hashtype': expected one of {string.Join(", ", HashTypes)}, got '{hashtype}'");
        }
        var realm = Text("realm", "");
        if (filetype == "htdigest" && realm.Length == 0)
        {
            throw new ConfigException($"{path}: 'external_auth:file' with '^filetype: htdigest' needs '^realm'");
        }
        var separator = Text("field_separator", ":");
        if (separator.Length == 0)
        {
            throw new ConfigException($"{path}: invalid value for 'external_auth:file:^field_separator': it must not be empty");
        }
        return new FileEauthOptions
        {
            Filename = filename,
            Filetype = filetype,
            Hashtype = hashtype,
            FieldSeparator = separator,
            UsernameField = Field("username_field", 1),
            PasswordField = Field("password_field", 2),
            Realm = realm,
        };
    }
}
