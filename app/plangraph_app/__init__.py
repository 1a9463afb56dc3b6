"""Helpers of the Streamlit app: presentation only, over importable tested functions."""
