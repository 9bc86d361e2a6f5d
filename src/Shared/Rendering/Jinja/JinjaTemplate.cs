using System.Text;
using Orchestrator.Shared.Rendering.Jinja.Ast;
using Orchestrator.Shared.Rendering.Jinja.Runtime;

namespace Orchestrator.Shared.Rendering.Jinja;

/// <summary>A parsed template: immutable, renderable many times, from several threads at once.</summary>
public sealed class JinjaTemplate
{
    private readonly JinjaEnvironment _env;
    private readonly Stmt[] _body;

    internal JinjaTemplate(JinjaEnvironment env, string name, string source, Stmt[] body)
    {
        _env = env;
        Name = name;
        Source = source;
        _body = body;
    }

    /// <summary>The template's name (used in error messages and by the cache).</summary>
    public string Name { get; }

    /// <summary>The source text the template was parsed from.</summary>
    public string Source { get; }

    /// <summary>Renders the template.</summary>
    /// <param name="context">
    /// The variables: data-model values (<see cref="Data.DataTree"/>), <see cref="JinjaCallable"/> functions, and
    /// <see cref="IJinjaIndexable"/> or <c>Dictionary&lt;string, object?&gt;</c> mappings of callables (Salt's <c>salt</c>).
    /// </param>
    /// <returns>The rendered text.</returns>
    /// <exception cref="JinjaException">Rendering failed; the exception carries the template name, line and column.</exception>
    public string Render(IDictionary<string, object?>? context = null)
    {
        var st = new RenderState(_env, context);
        var sb = new StringBuilder(Source.Length + 64);
        try
        {
            Execute(st, new Scope(null), sb);
        }
        catch (JinjaException ex) when (!ex.HasLocation && ex.TemplateName is null)
        {
            ex.SetLocation(Name, 0, 0);
            throw;
        }
        if (_env.AppendSourceTrailingNewline && !_env.KeepTrailingNewline && Source.EndsWith('\n'))
        {
            sb.Append('\n');
        }
        return sb.ToString();
    }

    internal void Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        var saved = st.CurrentTemplate;
        st.CurrentTemplate = Name;
        st.Enter();
        try
        {
            Stmt.RunBody(_body, st, scope, sb);
        }
        finally
        {
            st.Leave();
            st.CurrentTemplate = saved;
        }
    }
}
