# shellcheck shell=bash disable=SC2034,SC2154
# (SC2034, SC2154: the functions set and read variables of the script that sources this file.)
#
# What submit/local.sh, standalone.sh, yarn.sh and k8s.sh share; sourced by them, not run on its
# own. Each script keeps its defaults and what only its cluster manager needs, so that its
# behaviour still reads top to bottom in one file.
#
# Bash functions cannot return arrays, so these set the calling script's variables (named in
# each comment). The caller runs from the repository root under `set -euo pipefail` and sets
# `script` to its own name for error messages. Arrays that may be empty are expanded as
# ${a[@]+"${a[@]}"}: before bash 4.4, "${a[@]}" of an empty array is an unbound variable.

# value_of OPTION VALUE NOUN: VALUE, or a usage error naming the calling script (exit 2) when an
# option was given without one.
value_of() {
  if [ -z "$2" ]; then
    echo "$script: $1 needs a $3" >&2
    exit 2
  fi
  printf '%s' "$2"
}

# split_args ARGS...: sets dry_run, conf_file (the caller's default unless --conf-file FILE),
# spark_args (spark-submit options before `--`) and job_args (the job flags).
# spark-submit options only exist when a `--` follows: without one, the first argument that is
# not the script's own starts the job flags, so `local.sh --seq-len 2048` keeps working.
split_args() {
  local arg separated=false
  dry_run=false
  spark_args=()
  for arg in "$@"; do
    if [ "$arg" = "--" ]; then
      separated=true
      break
    fi
  done
  while [ $# -gt 0 ]; do
    case "$1" in
      --dry-run) dry_run=true; shift ;;
      --conf-file) conf_file=$(value_of "$1" "${2:-}" file); shift 2 ;;
      --) shift; break ;;
      *) if [ "$separated" = true ]; then spark_args+=("$1"); shift; else break; fi ;;
    esac
  done
  job_args=("$@")
}

# read_spark_conf: reads $conf_file into conf_keys and conf_values, in file order with repeated
# keys kept, as spark-submit would pass them. spark-defaults format: `key value` or `key=value`;
# blank lines and lines starting with # or ! are skipped; leading and trailing blanks and the
# blanks or `=` between key and value are dropped.
# Nothing is passed on yet: the script first pulls out what it gives as options (conf_take).
read_spark_conf() {
  local line key value
  conf_keys=()
  conf_values=()
  [ -f "$conf_file" ] || { echo "$script: no conf file '$conf_file'" >&2; exit 2; }
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line#"${line%%[![:space:]]*}"}"
    case "$line" in '' | '#'* | '!'*) continue ;; esac
    key="${line%%[[:space:]=]*}"
    value="${line#"$key"}"
    value="${value#"${value%%[![:space:]=]*}"}"
    value="${value%"${value##*[![:space:]]}"}"
    conf_keys+=("$key")
    conf_values+=("$value")
  done <"$conf_file"
}

# conf_peek KEY VAR: sets VAR to KEY's value from the file, the last one if repeated; VAR keeps
# the script's default when the file has no KEY. KEY is still passed on as --conf.
conf_peek() {
  local i
  for ((i = 0; i < ${#conf_keys[@]}; i++)); do
    if [ "${conf_keys[i]}" = "$1" ]; then
      printf -v "$2" '%s' "${conf_values[i]}"
    fi
  done
}

# conf_take KEY VAR: as conf_peek, and drops KEY from conf_keys/conf_values: for the settings the
# script passes as their own option (--master, --deploy-mode, --driver-memory, -Dspark.master),
# where a --master option before `--` must be able to replace the file's value.
conf_take() {
  local i keys=() values=()
  conf_peek "$1" "$2"
  for ((i = 0; i < ${#conf_keys[@]}; i++)); do
    if [ "${conf_keys[i]}" != "$1" ]; then
      keys+=("${conf_keys[i]}")
      values+=("${conf_values[i]}")
    fi
  done
  conf_keys=(${keys[@]+"${keys[@]}"})
  conf_values=(${values[@]+"${values[@]}"})
}

# conf_as_args: conf_args=(--conf key=value ...) for what is left of the file, in its order; they
# come before the spark-submit options given before `--`, which therefore win.
conf_as_args() {
  local i
  conf_args=()
  for ((i = 0; i < ${#conf_keys[@]}; i++)); do
    conf_args+=(--conf "${conf_keys[i]}=${conf_values[i]}")
  done
}

# take_spark_options NOUN OPTION=VAR...: spark-submit options before `--` that replace a file's
# value the script passes itself: removes every `OPTION VALUE` from spark_args and sets VAR to
# VALUE, the last one winning. One left-to-right pass for all OPTIONs, so that a value is never
# mistaken for an option. NOUN names the value in the error ("--master needs a URL").
take_spark_options() {
  local noun=$1 spec var value rest=()
  shift
  while [ ${#spark_args[@]} -gt 0 ]; do
    var=""
    for spec in "$@"; do
      if [ "${spark_args[0]}" = "${spec%%=*}" ]; then
        var="${spec#*=}"
        break
      fi
    done
    if [ -n "$var" ]; then
      value=$(value_of "${spark_args[0]}" "${spark_args[1]:-}" "$noun")
      printf -v "$var" '%s' "$value"
      spark_args=("${spark_args[@]:2}")
    else
      rest+=("${spark_args[0]}")
      spark_args=("${spark_args[@]:1}")
    fi
  done
  spark_args=(${rest[@]+"${rest[@]}"})
}

# find_cluster_jar [--with-classpath]: sets target, build (spark-job/$target) and jar. SEQPACK_JAR
# is used as is; otherwise the build's cluster jar, rebuilt with Maven first when there is none or
# the sources are newer, so that a run never submits stale code. --with-classpath also rebuilds
# when classpath.txt is missing, for the scripts that fall back to plain java with Maven's
# classpath. A dry run never builds: it prints the jar a build would make.
find_cluster_jar() {
  target="${SEQPACK_TARGET:-target}"
  build="spark-job/$target"
  jar="${SEQPACK_JAR:-}"
  if [ -z "$jar" ]; then
    jar=$(ls "$build"/seqpack-spark-job-*-cluster.jar 2>/dev/null | head -n 1 || true)
    if [ -z "$jar" ] || { [ "${1:-}" = --with-classpath ] && [ ! -f "$build/classpath.txt" ]; } \
      || [ -n "$(find spark-job/src/main spark-job/pom.xml pom.xml -newer "$jar" -print -quit)" ]; then
      if [ "$dry_run" = false ]; then
        echo "Building (mvn package -DskipTests)..." >&2
        mvn -B -q -DskipTests -Dseqpack.target="$target" package >&2
        jar=$(ls "$build"/seqpack-spark-job-*-cluster.jar | head -n 1)
      fi
      jar="${jar:-$build/seqpack-spark-job-<version>-cluster.jar}"
    fi
  fi
}

# find_spark_submit: spark_submit is $SPARK_HOME/bin/spark-submit, else spark-submit on the PATH,
# else empty (local.sh and standalone.sh then run plain java).
find_spark_submit() {
  spark_submit=""
  if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
    spark_submit="$SPARK_HOME/bin/spark-submit"
  elif command -v spark-submit >/dev/null 2>&1; then
    spark_submit=$(command -v spark-submit)
  fi
}

# need_spark_submit: find_spark_submit for the cluster managers plain java cannot reach (YARN,
# Kubernetes): without a Spark distribution a dry run still prints the command, with a bare
# spark-submit, and a real run stops with a usage error.
need_spark_submit() {
  find_spark_submit
  if [ -z "$spark_submit" ]; then
    if [ "$dry_run" = true ]; then
      spark_submit=spark-submit
    else
      echo "$script: needs a Spark distribution: set SPARK_HOME or put spark-submit on the PATH" >&2
      exit 2
    fi
  fi
}

# jvm_opens: the --add-opens flags Spark needs on Java 17, for the plain-java runs; kept once, in
# pom.xml's spark.jvm.opens, which the tests' JVMs use too.
jvm_opens() {
  sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' pom.xml
}

# maven_classpath: the Spark jars Maven resolved for $build (its classpath.txt, then the runtime-scope
# jars of classpath-runtime.txt), for the plain-java
# runs; a placeholder in a dry run before the first build.
maven_classpath() {
  local runtime=""
  if [ -f "$build/classpath-runtime.txt" ]; then
    runtime=":$(cat "$build/classpath-runtime.txt")"
  fi
  { cat "$build/classpath.txt" 2>/dev/null || echo '<classpath.txt after build>'; } | tr -d '\n'
  echo "$runtime"
}

# print_or_exec: with --dry-run prints cmd on one line, quoted for the shell, and exits 0;
# otherwise replaces this shell with it, so its exit status is the script's.
print_or_exec() {
  if [ "$dry_run" = true ]; then
    printf '%q ' "${cmd[@]}"
    echo
    exit 0
  fi
  exec "${cmd[@]}"
}
