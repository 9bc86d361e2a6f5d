using System.Globalization;

namespace Orchestrator.Shared.Rendering.Jinja;

/// <summary>A template failed to parse or render.</summary>
/// <remarks>
/// <see cref="Exception.Message"/> reads like Salt's render errors, e.g.
/// <c>Jinja syntax error: Encountered unknown tag 'endfor'. (web/nginx.sls, line 12, column 5)</c>;
/// <see cref="Reason"/> holds the bare Jinja2/Python message (<c>Encountered unknown tag 'endfor'.</c>).
/// <see cref="Line"/> and <see cref="Column"/> are 1-based; 0 when unknown.
/// </remarks>
public sealed class JinjaException : Exception
{
    /// <summary>Creates an exception.</summary>
    /// <param name="kind">The error family.</param>
    /// <param name="reason">The bare message.</param>
    /// <param name="templateName">The template where it happened, when known.</param>
    /// <param name="line">1-based line, or 0.</param>
    /// <param name="column">1-based column, or 0.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public JinjaException(JinjaErrorKind kind, string reason, string? templateName = null, int line = 0, int column = 0, Exception? inner = null)
        : base(reason, inner)
    {
        Kind = kind;
        Reason = reason;
        TemplateName = templateName;
        Line = line;
        Column = column;
    }

    /// <summary>The error family.</summary>
    public JinjaErrorKind Kind { get; }

    /// <summary>The bare Jinja2/Python message without prefix or location.</summary>
    public string Reason { get; }

    /// <summary>The name of the template the error is located in (the innermost one for imports and includes).</summary>
    public string? TemplateName { get; private set; }

    /// <summary>1-based line of the error; 0 when unknown.</summary>
    public int Line { get; private set; }

    /// <summary>1-based column of the error; 0 when unknown.</summary>
    public int Column { get; private set; }

    /// <summary>The message with Salt's prefix and the location, e.g. <c>Jinja variable 'x' is undefined (a.sls, line 3, column 4)</c>.</summary>
    public override string Message
    {
        get
        {
            var prefix = Kind switch
            {
                JinjaErrorKind.Syntax or JinjaErrorKind.TemplateRuntime => "Jinja syntax error: ",
                JinjaErrorKind.Undefined => "Jinja variable ",
                _ => "Jinja error: ",
            };
            if (Line <= 0)
            {
                return TemplateName is null ? prefix + Reason : string.Create(CultureInfo.InvariantCulture, $"{prefix}{Reason} ({TemplateName})");
            }
            return string.Create(CultureInfo.InvariantCulture, $"{prefix}{Reason} ({TemplateName ?? "<template>"}, line {Line}, column {Column})");
        }
    }

    internal bool HasLocation => Line > 0;

    internal void SetLocation(string? templateName, int line, int column)
    {
        TemplateName = templateName;
        Line = line;
        Column = column;
    }
}
