using System.Text.RegularExpressions;
using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>
/// Salt's <c>locale</c> module on Debian: <c>localectl</c> when systemd is running, else <c>/etc/default/locale</c> and
/// <c>update-locale</c>; <c>locale -a</c> lists compiled locales and <c>locale-gen</c> generates them.
/// </summary>
/// <remarks>Files under <c>/etc</c> are taken under the host root; <c>/usr/share/i18n/SUPPORTED</c> is read from the real system.</remarks>
[ExecutionModule("locale")]
public sealed partial class LocaleModule : IExecutionModule
{
    private readonly IProcessRunner _runner;
    private readonly string _root;

    public LocaleModule(IProcessRunner runner, string root = "/")
    {
        _runner = runner;
        _root = root;
        Functions =
        [
            new("avail", "Check if a locale is available (compiled, as `locale -a` lists it).\n\nCLI Example: orch '*' locale.avail 'en_US.UTF-8'",
                [Req("locale")], async (c, ct) => await AvailAsync(c.RequireString("locale"), ct).ConfigureAwait(false)),
            new("gen_locale", "Generate a locale (Debian: it must be listed in /usr/share/i18n/SUPPORTED; it is enabled in /etc/locale.gen " +
                "and built with locale-gen).\n\nCLI Example: orch '*' locale.gen_locale en_US.UTF-8", [Req("locale"), Opt("verbose", false)],
                async (c, ct) => await GenAsync(c.Context, c.RequireString("locale"), c.GetBool("verbose"), ct).ConfigureAwait(false)),
            new("get_locale", "Get the current system locale (LANG).\n\nCLI Example: orch '*' locale.get_locale", [],
                async (c, ct) => await GetAsync(c.Context, ct).ConfigureAwait(false)),
            new("list_avail", "Lists available (compiled) locales.\n\nCLI Example: orch '*' locale.list_avail", [],
                async (_, ct) => (await ListAvailAsync(ct).ConfigureAwait(false)).Cast<object?>().ToList()),
            new("set_locale", "Sets the current system locale (LANG).\n\nCLI Example: orch '*' locale.set_locale 'en_US.UTF-8'", [Req("locale")],
                async (c, ct) => await SetAsync(c.Context, c.RequireString("locale"), ct).ConfigureAwait(false)),
        ];
    }

    public string Doc => "Manage the system locale: get, set, list, check and generate locales.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private bool Booted => Directory.Exists(HostCommand.Rooted(_root, "/run/systemd/system"));

    private string DefaultLocale => HostCommand.Rooted(_root, "/etc/default/locale");

    public async Task<List<string>> ListAvailAsync(CancellationToken cancellationToken) =>
        [.. HostCommand.Out(await HostCommand.RunAsync(_runner, "locale", ["-a"], cancellationToken, mergeStderr: true).ConfigureAwait(false)).Split('\n')];

    public async Task<bool> AvailAsync(string locale, CancellationToken cancellationToken)
    {
        var wanted = Normalize(locale);
        return (await ListAvailAsync(cancellationToken).ConfigureAwait(false)).Any(x => Normalize(x.Trim()) == wanted);
    }

    public async Task<string> GetAsync(ModuleContext context, CancellationToken cancellationToken)
    {
        if (Booted)
        {
            var status = await HostCommand.RunAsync(_runner, "localectl", ["status"], cancellationToken).ConfigureAwait(false);
            if (status.ExitCode != 0)
            {
                throw new ModuleException($"localectl failed: {status.Stderr.TrimEnd('\n')}");
            }
            var lang = LangInStatus().Match(status.Stdout);
            return lang.Success ? lang.Groups[1].Value : string.Empty;
        }
        DebianOnly.Require(context, "locale.get_locale");
        if (!File.Exists(DefaultLocale))
        {
            return string.Empty;
        }
        var line = (await File.ReadAllLinesAsync(DefaultLocale, cancellationToken).ConfigureAwait(false)).FirstOrDefault(l => l.StartsWith("LANG=", StringComparison.Ordinal));
        return line is null ? string.Empty : line.Split('=')[1].Replace("\"", string.Empty, StringComparison.Ordinal);
    }

    public async Task<bool> SetAsync(ModuleContext context, string locale, CancellationToken cancellationToken)
    {
        if (Booted)
        {
            var set = await HostCommand.RunAsync(_runner, "localectl", ["set-locale", $"LANG={locale}"], cancellationToken).ConfigureAwait(false);
            return set.ExitCode == 0;
        }
        DebianOnly.Require(context, "locale.set_locale");
        if (!HostCommand.Which("update-locale"))
        {
            throw new ModuleException("Cannot set locale: \"update-locale\" was not found.");
        }
        // (Re)generates the file first, as Salt does; under a test root it writes that root's file, not the host's.
        IReadOnlyList<string> args = _root is "/" or "" ? [] : [$"--locale-file={DefaultLocale}"];
        await HostCommand.RunAsync(_runner, "update-locale", args, cancellationToken, mergeStderr: true).ConfigureAwait(false);
        var text = File.Exists(DefaultLocale) ? await File.ReadAllTextAsync(DefaultLocale, cancellationToken).ConfigureAwait(false) : string.Empty;
        var line = $"LANG=\"{locale}\"";
        text = LangLine().IsMatch(text) ? LangLine().Replace(text, line) : text + (text.Length == 0 || text.EndsWith('\n') ? string.Empty : "\n") + line + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(DefaultLocale)!);
        await File.WriteAllTextAsync(DefaultLocale, text, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<object?> GenAsync(ModuleContext context, string locale, bool verbose, CancellationToken cancellationToken)
    {
        DebianOnly.Require(context, "locale.gen_locale");
        var info = Split(locale);
        if (info.Charmap.Length == 0 && context.Grains.GetValueOrDefault("os") as string != "Ubuntu")
        {
            info = info with { Charmap = info.Codeset };
            locale = Join(info);
        }
        const string supported = "/usr/share/i18n/SUPPORTED";
        var valid = File.Exists(supported) && (await File.ReadAllLinesAsync(supported, cancellationToken).ConfigureAwait(false)).Contains(locale);
        if (!valid)
        {
            return false;
        }
        var localeGen = HostCommand.Rooted(_root, "/etc/locale.gen");
        if (File.Exists(localeGen))
        {
            var text = await File.ReadAllTextAsync(localeGen, cancellationToken).ConfigureAwait(false);
            var commented = new Regex($@"^\s*#\s*{Regex.Escape(locale)}\s*$", RegexOptions.Multiline);
            text = commented.IsMatch(text) ? commented.Replace(text, locale + "\n", 1)
                : text.Split('\n').Contains(locale) ? text : text + (text.EndsWith('\n') || text.Length == 0 ? string.Empty : "\n") + locale + "\n";
            await File.WriteAllTextAsync(localeGen, text, cancellationToken).ConfigureAwait(false);
        }
        ProcessResult result;
        if (HostCommand.Which("locale-gen"))
        {
            result = await HostCommand.RunAsync(_runner, "locale-gen", [locale], cancellationToken).ConfigureAwait(false);
        }
        else if (HostCommand.Which("localedef"))
        {
            var search = $"{info.Language}_{info.Territory}";
            result = await HostCommand.RunAsync(_runner, "localedef",
                ["--force", "-i", search, "-f", info.Codeset, $"{search}.{info.Codeset}", verbose ? "--verbose" : "--quiet"], cancellationToken).ConfigureAwait(false);
        }
        else
        {
            throw new ModuleException("Command \"locale-gen\" or \"localedef\" was not found on this system.");
        }
        if (verbose)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["pid"] = (long)result.Pid, ["retcode"] = (long)result.ExitCode, ["stdout"] = HostCommand.Out(result), ["stderr"] = result.Stderr.TrimEnd('\n'),
            };
        }
        return result.ExitCode == 0;
    }

    /// <summary>The parts of <c>language[_territory][.codeset][@modifier] [charmap]</c> (Salt's <c>split_locale</c>).</summary>
    public sealed record LocaleParts(string Language, string Territory, string Codeset, string Modifier, string Charmap);

    public static LocaleParts Split(string locale)
    {
        static (string, string) Once(string text, char separator)
        {
            var i = text.IndexOf(separator, StringComparison.Ordinal);
            return i < 0 ? (text, string.Empty) : (text[..i], text[(i + 1)..]);
        }
        var (work, charmap) = Once(locale, ' ');
        (work, var modifier) = Once(work, '@');
        (work, var codeset) = Once(work, '.');
        var (language, territory) = Once(work, '_');
        return new LocaleParts(language, territory, codeset, modifier, charmap);
    }

    public static string Join(LocaleParts parts) =>
        parts.Language + (parts.Territory.Length > 0 ? "_" + parts.Territory : string.Empty) + (parts.Codeset.Length > 0 ? "." + parts.Codeset : string.Empty)
        + (parts.Modifier.Length > 0 ? "@" + parts.Modifier : string.Empty) + (parts.Charmap.Length > 0 ? " " + parts.Charmap : string.Empty);

    /// <summary>The form `locale -a` prints: territory upper case, codeset lower case without dashes, no charmap.</summary>
    public static string Normalize(string locale)
    {
        var parts = Split(locale);
        return Join(parts with
        {
            Territory = parts.Territory.ToUpperInvariant(),
            Codeset = parts.Codeset.ToLowerInvariant().Replace("-", string.Empty, StringComparison.Ordinal),
            Charmap = string.Empty,
        });
    }

    [GeneratedRegex(@"LANG=(\S+)")]
    private static partial Regex LangInStatus();

    [GeneratedRegex("^LANG=.*", RegexOptions.Multiline)]
    private static partial Regex LangLine();
}
