namespace Orchestrator.Shared.Rendering.Jinja;

/// <summary>The family of a <see cref="JinjaException"/>, matching the Jinja2 exception classes Salt distinguishes.</summary>
public enum JinjaErrorKind
{
    /// <summary>The template does not parse (Jinja2 <c>TemplateSyntaxError</c>, including unknown filters and tests).</summary>
    Syntax,

    /// <summary>An undefined value was used (Jinja2 <c>UndefinedError</c>).</summary>
    Undefined,

    /// <summary>A template named by include/import/from was not found (Jinja2 <c>TemplateNotFound</c>).</summary>
    TemplateNotFound,

    /// <summary>Any other failure while rendering (type errors, bad macro calls, <c>raise()</c>, filter errors).</summary>
    Runtime,

    /// <summary>
    /// Jinja2's <c>TemplateRuntimeError</c>, which Salt reports as a syntax error (<c>Jinja syntax error: ...</c>): the
    /// <c>load_yaml</c>/<c>load_json</c> filters and <c>import_yaml</c>/<c>import_json</c> failing to load their input.
    /// </summary>
    TemplateRuntime,
}
