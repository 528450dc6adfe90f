"""The framework floor: a hello-world Typer app with one command, timed beside csprcli."""

import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world"):
    print(f"hello {name}")


if __name__ == "__main__":
    app()
