using System.Collections.Concurrent;
using Orchestrator.Shared.Rendering.Jinja.Ast;
using Orchestrator.Shared.Rendering.Jinja.Builtins;
using Orchestrator.Shared.Rendering.Jinja.Parsing;
using Orchestrator.Shared.Rendering.Jinja.Runtime;

namespace Orchestrator.Shared.Rendering.Jinja;

/// <summary>
/// Settings, globals, filters, tests and the template loader shared by many templates; parses and caches templates.
/// </summary>
/// <remarks>
/// The defaults reproduce how Salt 3006 renders <c>template: jinja</c> files: Jinja2's whitespace defaults
/// (<see cref="TrimBlocks"/> and <see cref="LstripBlocks"/> off), <c>StrictUndefined</c>, Salt's filters and tests,
/// and the source's trailing newline re-appended after rendering (<see cref="AppendSourceTrailingNewline"/>).
/// Configure the environment (properties, <see cref="AddGlobal"/>, <see cref="AddFilter"/>, <see cref="AddTest"/>)
/// before rendering; after that, parsing and rendering are thread-safe and parsed templates are cached by name.
/// </remarks>
public sealed class JinjaEnvironment
{
    private readonly Dictionary<string, FilterFunc> _filters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TestFunc> _tests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object?> _globals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JinjaTemplate?> _loaded = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JinjaTemplate> _parsed = new(StringComparer.Ordinal);

    /// <summary>Creates an environment with Jinja2's built-in filters, tests and globals plus Salt's extensions.</summary>
    public JinjaEnvironment()
    {
        CoreFilters.Register(_filters);
        CoreTests.Register(_tests);
        SaltFilters.Register(_filters, _tests);
        SerializerFilters.Register(_filters);
        Globals.Register(_globals);
    }

    /// <summary>Removes the first newline after a block tag (Jinja2 <c>trim_blocks</c>). Default <c>false</c>, as in Salt.</summary>
    public bool TrimBlocks { get; init; }

    /// <summary>Strips spaces and tabs before a block tag at the start of a line (Jinja2 <c>lstrip_blocks</c>). Default <c>false</c>.</summary>
    public bool LstripBlocks { get; init; }

    /// <summary>Keeps the source's final newline while lexing (Jinja2 <c>keep_trailing_newline</c>). Default <c>false</c>.</summary>
    public bool KeepTrailingNewline { get; init; }

    /// <summary>
    /// Appends <c>"\n"</c> to the output of <see cref="JinjaTemplate.Render"/> when the source ends with a newline, the way
    /// Salt's <c>render_jinja_tmpl</c> works around Jinja2 dropping it. Default <c>true</c>; applies to the rendered
    /// top-level template only, not to includes and imports.
    /// </summary>
    public bool AppendSourceTrailingNewline { get; init; } = true;

    /// <summary>What using an undefined value does. Default <see cref="JinjaUndefinedBehavior.Strict"/> (Salt without <c>allow_undefined</c>).</summary>
    public JinjaUndefinedBehavior UndefinedBehavior { get; init; } = JinjaUndefinedBehavior.Strict;

    /// <summary>
    /// Lets imported templates see the render context even without <c>with context</c>. Salt does this by copying the
    /// context (<c>salt</c>, <c>grains</c>, <c>pillar</c>...) into the environment globals. Default <c>true</c>.
    /// </summary>
    public bool ShareContextWithImports { get; init; } = true;

    /// <summary>
    /// Resolves template names as Salt's <c>SaltCacheLoader</c> does. Default <c>true</c>: a name starting with <c>./</c> or
    /// <c>../</c> is relative to the <c>tpldir</c> the loader last set (at first the render context's), and may not climb
    /// above the root; each template's first load in a render sets the <c>tplfile</c>, <c>tpldir</c> and <c>tpldot</c>
    /// globals that templates imported or included without context see.
    /// </summary>
    public bool SaltLoaderSemantics { get; init; } = true;

    /// <summary>
    /// Resolves a template name used by include, import, from and Salt's import_yaml/json/text to its source, or
    /// returns <c>null</c> when there is no such template. Must be thread-safe. Results are cached per name.
    /// </summary>
    public Func<string, string?>? Loader { get; init; }

    /// <summary>Registers (or replaces) a global variable or function visible to every template.</summary>
    /// <param name="name">The variable name.</param>
    /// <param name="value">A data-model value, a <see cref="JinjaCallable"/> or an <see cref="IJinjaIndexable"/>.</param>
    public void AddGlobal(string name, object? value) => _globals[name] = value;

    /// <summary>Registers (or replaces) a filter.</summary>
    /// <param name="name">The filter name used after <c>|</c>.</param>
    /// <param name="filter">The implementation.</param>
    public void AddFilter(string name, JinjaFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        _filters[name] = (st, value, args, kwargs) => Py.FromHost(filter(Py.ToHost(st, value), Py.ToHostList(st, args), kwargs));
    }

    /// <summary>Registers (or replaces) a test.</summary>
    /// <param name="name">The test name used after <c>is</c>.</param>
    /// <param name="test">The implementation.</param>
    public void AddTest(string name, JinjaTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        _tests[name] = (st, value, args, kwargs) => test(Py.ToHost(st, value), Py.ToHostList(st, args), kwargs);
    }

    /// <summary>Parses a template. Parsing the same name and source again returns the cached template.</summary>
    /// <param name="source">The template text.</param>
    /// <param name="name">The name used in error messages and as cache key.</param>
    /// <returns>The compiled template, renderable any number of times from any thread.</returns>
    /// <exception cref="JinjaException">The template has a syntax error, an unknown filter or an unknown test.</exception>
    public JinjaTemplate Parse(string source, string name = "<template>")
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(name);
        if (_parsed.TryGetValue(name, out var cached) && string.Equals(cached.Source, source, StringComparison.Ordinal))
        {
            return cached;
        }
        var template = Compile(source, name);
        _parsed[name] = template;
        return template;
    }

    /// <summary>Loads a template through <see cref="Loader"/> (cached by name).</summary>
    /// <param name="name">The template name.</param>
    /// <returns>The compiled template.</returns>
    /// <exception cref="JinjaException">The template does not exist or does not parse.</exception>
    public JinjaTemplate GetTemplate(string name) =>
        TryGetTemplate(name) ?? throw new JinjaException(JinjaErrorKind.TemplateNotFound, name);

    /// <summary>Parses and renders a template in one call.</summary>
    /// <param name="source">The template text.</param>
    /// <param name="context">The variables.</param>
    /// <param name="name">The template name for errors and caching.</param>
    /// <returns>The rendered text.</returns>
    public string Render(string source, IDictionary<string, object?>? context = null, string name = "<template>") =>
        Parse(source, name).Render(context);

    /// <summary>Forgets every cached template, so the loader is asked again.</summary>
    public void ClearCache()
    {
        _loaded.Clear();
        _parsed.Clear();
    }

    internal JinjaTemplate? TryGetTemplate(string name)
    {
        if (_loaded.TryGetValue(name, out var cached))
        {
            return cached;
        }
        var source = Loader?.Invoke(name);
        var template = source is null ? null : Compile(source, name);
        return _loaded.GetOrAdd(name, template);
    }

    private JinjaTemplate Compile(string source, string name)
    {
        var normalized = Lexer.NormalizeSource(source, KeepTrailingNewline);
        var tokens = Lexer.Tokenize(normalized, name, TrimBlocks, LstripBlocks);
        var body = new Parser(tokens, name, this).ParseTemplate();
        return new JinjaTemplate(this, name, source, body);
    }

    internal bool TryGetFilter(string name, out FilterFunc filter) => _filters.TryGetValue(name, out filter!);

    internal bool TryGetTest(string name, out TestFunc test) => _tests.TryGetValue(name, out test!);

    internal bool TryGetGlobal(string name, out object? value) => _globals.TryGetValue(name, out value);
}
