/*
 * completion.c - `docksec completion bash|zsh|fish`: shell completion.
 *
 * The scripts read the options from `docksec CMD --help` when they
 * complete, so they come from the same option tables the commands parse
 * with and never fall out of step with them; the commands and the values
 * of the few options that take a fixed set are listed here.
 */
#include "cmd.h"

static const char bash_script[] =
	"# docksec completion for bash: eval \"$(docksec completion bash)\"\n"
	"_docksec() {\n"
	"\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd=${COMP_WORDS[1]}\n"
	"\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	"\t\tCOMPREPLY=($(compgen -W 'lint check audit scan db cache rules completion help --version --help' -- \"$cur\")); return\n"
	"\tfi\n"
	"\tcase $prev in\n"
	"\t-f|--format) COMPREPLY=($(compgen -W 'text json sarif junit checkstyle gitlab html docker-bench' -- \"$cur\")); return ;;\n"
	"\t--fail-on|--severity-threshold|-s|--severity) COMPREPLY=($(compgen -W 'info low medium high critical none' -- \"$cur\")); return ;;\n"
	"\t-t|--failure-threshold) COMPREPLY=($(compgen -W 'error warning info style none' -- \"$cur\")); return ;;\n"
	"\t--color) COMPREPLY=($(compgen -W 'auto always never' -- \"$cur\")); return ;;\n"
	"\t--fix) COMPREPLY=($(compgen -W 'diff write' -- \"$cur\")); return ;;\n"
	"\t--only) COMPREPLY=($(compgen -W 'host daemon files images containers operations swarm hardening' -- \"$cur\")); return ;;\n"
	"\tcompletion) COMPREPLY=($(compgen -W 'bash zsh fish' -- \"$cur\")); return ;;\n"
	"\tesac\n"
	"\tif [[ $cur == -* ]]; then\n"
	"\t\tCOMPREPLY=($(compgen -W \"$(docksec \"$cmd\" --help 2>/dev/null | grep -oE -- '(^|[ ,])--?[a-zA-Z][a-zA-Z0-9-]*' | tr -d ' ,' | sort -u)\" -- \"$cur\"))\n"
	"\telse\n"
	"\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
	"\tfi\n"
	"}\n"
	"complete -o filenames -F _docksec docksec\n";

static const char zsh_script[] =
	"# docksec completion for zsh: eval \"$(docksec completion zsh)\"\n"
	"autoload -U +X bashcompinit && bashcompinit\n";

static const char fish_script[] =
	"# docksec completion for fish: docksec completion fish | source\n"
	"complete -c docksec -f -n '__fish_use_subcommand' -a 'lint check audit scan db cache rules completion help'\n"
	"function __docksec_opts\n"
	"\tset -l cmd (commandline -opc)[2]\n"
	"\tdocksec $cmd --help 2>/dev/null | string match -r -a -- '--[a-zA-Z][a-zA-Z0-9-]*' | sort -u\n"
	"end\n"
	"complete -c docksec -n 'not __fish_use_subcommand' -a '(__docksec_opts)'\n"
	"complete -c docksec -n '__fish_seen_subcommand_from lint check scan' -F\n"
	"complete -c docksec -n '__fish_seen_subcommand_from completion' -f -a 'bash zsh fish'\n";

int cmd_completion(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--help")) {
		puts("usage: docksec completion bash|zsh|fish\n\n"
		     "Print a shell completion script: eval \"$(docksec completion bash)\" in ~/.bashrc,\n"
		     "the same with zsh in ~/.zshrc, docksec completion fish | source in fish.");
		return DS_EXIT_OK;
	}
	if (argc != 2 || (strcmp(argv[1], "bash") && strcmp(argv[1], "zsh") && strcmp(argv[1], "fish"))) {
		struct ds_err err = {0};
		ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "completion takes bash, zsh or fish");
		return cmd_error(&err);
	}
	if (!strcmp(argv[1], "fish"))
		fputs(fish_script, stdout);
	else if (!strcmp(argv[1], "zsh"))
		printf("%s%s", zsh_script, bash_script);
	else
		fputs(bash_script, stdout);
	return DS_EXIT_OK;
}
