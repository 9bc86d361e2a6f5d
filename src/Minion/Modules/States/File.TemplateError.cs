using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering.Jinja;

namespace Orchestrator.Minion.Modules.States;

// How a file template that fails to render is reported, as Salt words it: the SaltRenderError message with the template
// lines around the error (Salt's get_context). Applied, file.managed catches it ("Unable to manage file: ..."); in a test
// run it escapes the state function, so the comment is "An exception occurred in this state: " and a traceback whose
// last line is the exception.
public sealed partial class FileState
{
    private const string ErrorMarker = "    <======================";

    private static string? TemplateErrorComment(Exception e, string template, bool test)
    {
        var jinja = e as JinjaException ?? e.InnerException as JinjaException;
        if (jinja is null)
        {
            return null;
        }
        var prefix = jinja.Kind switch
        {
            JinjaErrorKind.Syntax => "Jinja syntax error: ",
            JinjaErrorKind.Undefined => "Jinja variable ",
            _ => "Jinja error: ",
        };
        var message = prefix + jinja.Reason;
        if (jinja.Line > 0)
        {
            message += $"; line {jinja.Line}\n\n{TemplateContext(template, jinja.Line)}";
        }
        if (!test)
        {
            return "Unable to manage file: " + message;
        }
        return "An exception occurred in this state: Traceback (most recent call last):\n"
            + $"  File \"{jinja.TemplateName ?? "<template>"}\", line {jinja.Line}, in template\n"
            + $"salt.exceptions.SaltRenderError: {message}\n";
    }

    // Salt's salt.utils.stringutils.get_context: five lines either side of the error line, marked.
    private static string TemplateContext(string template, int line)
    {
        var lines = PyText.SplitLines(template);
        if (line > lines.Count)
        {
            return template;
        }
        var start = Math.Max(0, line - 5 - 1);
        var end = Math.Min(lines.Count, line + 5);
        var errorAt = line - start - 1;
        var buf = new List<string>();
        if (start > 0)
        {
            buf.Add("[...]");
            errorAt++;
        }
        buf.AddRange(lines.Skip(start).Take(end - start));
        if (end < lines.Count)
        {
            buf.Add("[...]");
        }
        buf[errorAt] += ErrorMarker;
        return "---\n" + string.Join("\n", buf) + "\n---";
    }
}
