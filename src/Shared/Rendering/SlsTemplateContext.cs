namespace Orchestrator.Shared.Rendering;

/// <summary>
/// The path-derived template variables Salt 3006 gives an SLS file, state or pillar
/// (<c>salt.utils.templates.generate_sls_context</c>).
/// </summary>
public static class SlsTemplateContext
{
    /// <summary>
    /// <c>tplpath</c> (the file's path on this host), <c>tplfile</c> (relative to the root), <c>tpldir</c> (its directory,
    /// "." at the top), <c>tpldot</c>, <c>slspath</c> (the directory, "" at the top), <c>slsdotpath</c>,
    /// <c>slscolonpath</c> and <c>sls_path</c>.
    /// </summary>
    /// <param name="sls">The SLS name (<c>web.nginx</c>); empty for a template that is not an SLS.</param>
    /// <param name="relativePath">The file relative to its root (<c>web/nginx/init.sls</c>).</param>
    /// <param name="localPath">The file's path on this host.</param>
    public static Dictionary<string, object?> For(string sls, string relativePath, string localPath)
    {
        ArgumentNullException.ThrowIfNull(sls);
        ArgumentNullException.ThrowIfNull(relativePath);
        var template = relativePath.Replace('\\', '/');
        if (sls.Length == 0)
        {
            template = template[(template.LastIndexOf('/') + 1)..];
        }
        var slash = template.LastIndexOf('/');
        var slspath = slash < 0 ? string.Empty : template[..slash];
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["tplpath"] = localPath,
            ["tplfile"] = template,
            ["tpldir"] = slspath.Length == 0 ? "." : slspath,
            ["tpldot"] = slspath.Replace('/', '.'),
            ["slspath"] = slspath,
            ["slsdotpath"] = slspath.Replace('/', '.'),
            ["slscolonpath"] = slspath.Replace('/', ':'),
            ["sls_path"] = slspath.Replace('/', '_'),
        };
    }
}
