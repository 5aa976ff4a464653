def main(loop):
    pass
main()
