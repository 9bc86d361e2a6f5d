using Orchestrator.Shared.Rendering;
using Orchestrator.Minion.Modules;
using Orchestrator.Shared.Rendering.Jinja;

namespace Orchestrator.Minion.StateEngine;

/// <summary>
/// Jinja's <c>salt</c> mapping: <c>salt['cmd.run']('ls')</c> (or <c>salt.cmd.run</c>) calls the execution module on this
/// minion. Jinja rendering is synchronous, so each call waits for the module.
/// </summary>
public sealed class SaltFunctions(ModuleContext context, CancellationToken cancellationToken = default) : IJinjaIndexable
{
    public bool TryGetItem(object? key, out object? value)
    {
        if (key is not string function || !context.Modules.Exists(function))
        {
            value = null;
            return false;
        }
        value = (JinjaCallable)((args, kwargs) =>
        {
            var result = context.Modules.InvokeAsync(function, args, kwargs, context, cancellationToken).GetAwaiter().GetResult();
            // Salt's function raises here, and the template fails with its message; a non-zero retcode alone is a value.
            return result.Raised
                ? throw new JinjaException(JinjaErrorKind.Runtime, result.Return as string ?? $"{function} failed")
                : result.Return;
        });
        return true;
    }

    /// <summary>A renderer for one run on this minion: templates load through its file client, and see <c>salt</c>.</summary>
    public static JinjaTemplateRenderer RendererFor(ModuleContext context, string saltenv = "base") => new(
        name =>
        {
            var path = context.Files?.CacheFileAsync("salt://" + name, saltenv, CancellationToken.None).GetAwaiter().GetResult();
            return path is null ? null : File.ReadAllText(path);
        },
        new Dictionary<string, object?>(StringComparer.Ordinal) { ["salt"] = new SaltFunctions(context) });
}
