using Orchestrator.Shared.Rendering.Jinja;

namespace Orchestrator.Shared.Tests.Rendering.Jinja;

/// <summary>Salt's Jinja filters against the examples of Salt's "Understanding Jinja" page and the filters' docstrings.</summary>
public class SaltFilterDocTests
{
    private static readonly JinjaEnvironment _env = new();

    private static string Render(string template) => _env.Render(template, new Dictionary<string, object?>(), "doc.sls");

    private static JinjaException Fails(string template) => Assert.Throws<JinjaException>(() => Render(template));

    public static TheoryData<string, string> DocExamples() => new()
    {
        // traverse
        { "{{ {'a1': {'b1': {'c1': 'foo'}}, 'a2': 'bar'} | traverse('a1:b1', 'default') }}", "{'c1': 'foo'}" },
        { "{{ {'a1': {'b1': {'c1': 'foo'}}, 'a2': 'bar'} | traverse('a2:b2', 'default') }}", "default" },
        { "{{ {'foo': {'bar': ['baz']}} | traverse('foo:bar:0') }}", "baz" },
        { "{{ {'foo': {'bar': {'0': 'baz'}}} | traverse('foo:bar:0') }}", "baz" },
        { "{{ {'a': [{'x': 1}, {'b': 2}]} | traverse('a:b') }}|{{ {'a': [1]} | traverse('a:5') }}|{{ {'a': [1, 2]} | traverse('a:-1') }}", "2|None|2" },
        { "{{ {'a': {'b': 'c'}} | traverse('a/b', delimiter='/') }}|{{ {'a': 's'} | traverse('a:b', 'd') }}|{{ {'a': {'b': 1}} | traverse(['a', 'b']) }}", "c|d|1" },
        // to_bool
        { "{{ 'yes' | to_bool }}|{{ 'TRUE' | to_bool }}|{{ '1' | to_bool }}|{{ 'no' | to_bool }}|{{ 2 | to_bool }}|{{ 0 | to_bool }}|{{ none | to_bool }}|{{ [] | to_bool }}|{{ [0] | to_bool }}", "True|True|True|False|True|False|False|False|True" },
        // regex_*
        { "{% set my_text = 'abcd' %}{{ my_text | regex_search('^(.*)BC(.*)$', ignorecase=True) }}", "('a', 'd')" },
        { "{% set my_text = 'abcd' %}{{ my_text | regex_match('^(.*)BC(.*)$', ignorecase=True) }}", "('a', 'd')" },
        { "{{ 'abcd' | regex_match('bc') }}|{{ 'abcd' | regex_search('bc') }}", "None|()" },
        { "{% set my_text = 'lets replace spaces' %}{{ my_text | regex_replace('\\\\s+', '__') }}", "lets__replace__spaces" },
        { "{{ 'ab-cd' | regex_replace('(\\\\w+)-(\\\\w+)', '\\\\2-\\\\1') }}", "cd-ab" },
        // unique, sequence, is_list
        { "{% set my_list = ['a', 'b', 'c', 'a', 'b'] -%}{{ my_list | unique }}", "['a', 'b', 'c']" },
        { "{% set my_string = 'foo' %}{% set my_list = ['bar', ] %}{% set my_dict = {'baz': 'qux'} %}{{ my_string|sequence|first }} {{ my_list|sequence|first }} {{ my_dict|sequence|first }}", "foo bar baz" },
        { "{{ [1, 2, 3] | is_list }}|{{ 'abc' | is_list }}|{{ {'a': 1} | is_list }}", "True|False|False" },
        // yaml_encode, yaml_dquote, yaml_squote
        { "{%- set bar = 7 %}{%- set baz = none %}{%- set zip = true %}{%- set zap = 'The word of the day is \"salty\"' %}{{ bar|yaml_encode }}|{{ baz|yaml_encode }}|{{ zip|yaml_encode }}|{{ zap|yaml_encode }}", "7|null|true|\"The word of the day is \\\"salty\\\"\"" },
        { "{%- load_yaml as foo %}\nbar: {{ 7|yaml_encode }}\nzap: {{ 'The word of the day is \"salty\"'|yaml_encode }}\n{%- endload %}{{ foo.bar }}|{{ foo.zap }}", "7|The word of the day is \"salty\"" },
        { "{{ 7.7|yaml_dquote }}|{{ none|yaml_dquote }}|{{ true|yaml_dquote }}|{{ 'The word of the day is \"salty\".'|yaml_dquote }}|{{ '\"The quick brown fox . . .\"'|yaml_dquote }}", "\"7.7\"|\"None\"|\"True\"|\"The word of the day is \\\"salty\\\".\"|\"\\\"The quick brown fox . . .\\\"\"" },
        { "{{ 7.7|yaml_squote }}|{{ none|yaml_squote }}|{{ true|yaml_squote }}|{{ 'The word of the day is \"salty\".'|yaml_squote }}|{{ \"it's\"|yaml_squote }}", "'7.7'|'None'|'True'|'The word of the day is \"salty\".'|'it''s'" },
        // PyYAML's emitter without allow_unicode: non-ASCII is escaped in double quotes; single quotes fold line breaks.
        { "{{ 'caf\u00e9 \U0001F600\ttab' | yaml_dquote }}|{{ 'caf\u00e9' | yaml_encode }}", "\"caf\\xE9 \\U0001F600\\ttab\"|\"caf\\xE9\"" },
        { "{{ 'a\\nb' | yaml_squote }}", "'a\n\nb'" },
        // json, yaml, python (SerializerExtension's docstring); json keeps non-ASCII as salt.utils.json.dumps does
        { "{% set data = {'foo': True, 'bar': 42, 'baz': [1, 2, 3], 'qux': 2.0} %}yaml = {{ data|yaml }}\njson = {{ data|json }}\npython = {{ data|python }}",
          "yaml = {bar: 42, baz: [1, 2, 3], foo: true, qux: 2.0}\njson = {\"bar\": 42, \"baz\": [1, 2, 3], \"foo\": true, \"qux\": 2.0}\npython = {'bar': 42, 'baz': [1, 2, 3], 'foo': True, 'qux': 2.0}" },
        { "{{ {'b': {'c': [1, 'two', none]}, 'a': 'caf\u00e9'} | yaml(False) }}", "a: caf\u00e9\nb:\n  c:\n  - 1\n  - two\n  - null" },
        { "{{ {'a': 'caf\u00e9'} | json }}|{{ {'a': 'caf\u00e9'} | tojson }}|{{ {'b': 1, 'a': 2} | json(sort_keys=False) }}", "{\"a\": \"caf\u00e9\"}|{\"a\": \"caf\\u00e9\"}|{\"b\": 1, \"a\": 2}" },
        // load_yaml, load_json
        { "{%- set yaml_src = '{foo: it works}' %}{%- set data = yaml_src|load_yaml %}{{ data.foo }}", "it works" },
        { "{%- set json_src = '{\"bar\": \"for real\"}' %}{%- set data = json_src|load_json %}{{ data.bar }}", "for real" },
    };

    [Theory]
    [MemberData(nameof(DocExamples))]
    public void Filter_RendersAsSaltDocuments(string template, string expected) => Assert.Equal(expected, Render(template));

    [Fact]
    public void LoadJson_BadText_IsATemplateRuntimeErrorAsInSalt()
    {
        var e = Fails("{{ '{x' | load_json }}");

        Assert.Equal(JinjaErrorKind.TemplateRuntime, e.Kind);
        Assert.StartsWith("Jinja syntax error: Unable to load json from {x", e.Message);
    }

    [Fact]
    public void LoadYaml_NotText_FailsAsSalt()
    {
        Assert.StartsWith("Jinja syntax error: Unable to load yaml from 5", Fails("{{ 5 | load_yaml }}").Message);
        Assert.StartsWith("Jinja syntax error: Encountered error loading yaml: ", Fails("{{ 'a: [' | load_yaml }}").Message);
        Assert.Equal(JinjaErrorKind.Undefined, Fails("{{ nothing | load_yaml }}").Kind);
    }

    [Fact]
    public void YamlEncode_NonScalar_FailsWithSaltsTypeError()
    {
        Assert.Contains("yaml_encode() only works with YAML scalar data; failed for <class 'list'>", Fails("{{ [1] | yaml_encode }}").Message);
    }

    [Fact]
    public void Traverse_UndefinedInput_IsAnUndefinedError()
    {
        Assert.Equal(JinjaErrorKind.Undefined, Fails("{{ nothing | traverse('a') }}").Kind);
    }
}
