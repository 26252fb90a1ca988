# Completes one command line in a real interactive zsh and prints the candidates, one a line.
# Usage: zsh -f zsh-complete.zsh FPATH_DIR 'acrx repository show-tags --or'
# An interactive zsh runs under zpty with compinit and the _acrx in FPATH_DIR; compadd is wrapped to
# write what each call adds to a file, and a widget runs complete-word then prints a marker.
zmodload zsh/zpty || exit 3
local dir=$1 line=$2 capture=$(mktemp) setup=$(mktemp)
cat >$setup <<SETUP
PS1='' PROMPT='' RPROMPT=''
fpath=(${(q)dir} \$fpath)
autoload -Uz compinit && compinit -u -D
compadd() {
  # _describe and friends fill arrays first (-O, -A, -D): those calls are not the answers.
  if (( \${@[(I)-[OAD]]} )); then builtin compadd "\$@"; return; fi
  local -a added
  builtin compadd -A added "\$@"
  (( \${#added} )) && print -rl -- "\${added[@]}" >>${(q)capture}
  builtin compadd "\$@"
}
_capture_done() { zle complete-word; print -n '<<done>>'; }
zle -N capture-done _capture_done
bindkey '^T' capture-done
print '<<ready>>'
SETUP
zpty acrx "zsh -f -i"
zpty -w acrx "source ${(q)setup}"
zpty -r -m acrx out '*<<ready>>*' || exit 4
zpty -w -n acrx "$line"$'\x14'
zpty -r -m acrx out '*<<done>>*' || exit 5
zpty -d acrx
cat $capture
rm -f $capture $setup
