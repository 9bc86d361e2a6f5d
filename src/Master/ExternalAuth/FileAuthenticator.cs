namespace Orchestrator.Master.ExternalAuth;

/// <summary>
/// The <c>file</c> eauth (Salt's <c>salt/auth/file.py</c>): a <c>text</c> file of <c>user:password</c> lines (plain or a
/// hex digest), an Apache <c>htpasswd</c> file or an <c>htdigest</c> file, read on each login so edits apply at once.
/// </summary>
internal static class FileAuthenticator
{
    /// <summary>The outcome: success, or why not (never the password).</summary>
    public readonly record struct Outcome(bool Success, string Detail);

    public static Outcome Authenticate(FileEauthOptions options, string user, string password)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(options.Filename);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Outcome(false, $"cannot read {options.Filename}: {e.Message}");
        }
        return options.Filetype switch
        {
            "htpasswd" => Htpasswd(options, lines, user, password),
            "htdigest" => Htdigest(options, lines, user, password),
            _ => Text(options, lines, user, password),
        };
    }

    private static Outcome Text(FileEauthOptions options, string[] lines, string user, string password)
    {
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0)
            {
                continue;
            }
            var fields = line.Split(options.FieldSeparator);
            if (fields.Length < Math.Max(options.UsernameField, options.PasswordField))
            {
                // As Salt: a line without the configured fields makes the file unusable rather than being skipped.
                return new Outcome(false, $"{options.Filename} line {n + 1} has no field {Math.Max(options.UsernameField, options.PasswordField)}");
            }
            if (fields[options.UsernameField - 1] == user)
            {
                // The first line of the user decides, as in Salt.
                return PasswordHash.VerifyText(options.Hashtype, password, fields[options.PasswordField - 1])
                    ? new Outcome(true, "")
                    : new Outcome(false, "wrong password");
            }
        }
        return new Outcome(false, $"no such user in {options.Filename}");
    }

    private static Outcome Htpasswd(FileEauthOptions options, string[] lines, string user, string password)
    {
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[..colon] != user)
            {
                continue;
            }
            return PasswordHash.VerifyHtpasswd(password, line[(colon + 1)..].Trim())
                ? new Outcome(true, "")
                : new Outcome(false, "wrong password or unsupported hash");
        }
        return new Outcome(false, $"no such user in {options.Filename}");
    }

    private static Outcome Htdigest(FileEauthOptions options, string[] lines, string user, string password)
    {
        foreach (var line in lines)
        {
            var fields = line.Trim().Split(':');
            if (fields.Length != 3 || fields[0] != user || fields[1] != options.Realm)
            {
                continue;
            }
            return PasswordHash.VerifyHtdigest(user, options.Realm, password, fields[2])
                ? new Outcome(true, "")
                : new Outcome(false, "wrong password");
        }
        return new Outcome(false, $"no such user in realm {options.Realm} of {options.Filename}");
    }
}
