"""Every way people and programs talk to the system: the `pdz` CLI, the HTTP API and the Streamlit app."""
